// The subjects of the throughput benchmark, side by side in one run: the limit (the same path with
// no Tailscale), the bare baseline, Tailscale's containerboot with its defaults (userspace
// networking) and in kernel TUN mode, and this image, standard and tiny (both kernel TUN). All
// containers hold the same tailscaled build as the image (the derived images are its rootfs).
import type { Variant } from "../../podman.ts";
import type { Topology } from "../../topology.ts";
import type { BenchLab } from "../lab-session.ts";
import { subjectEnv } from "../entrypoint-run.ts";
import type { ContainerSpec } from "./throughput-run.ts";

export const THROUGHPUT_SUBJECTS = ["limit", "bare", "containerboot-userspace", "containerboot-kernel", "standard", "tiny"] as const;
export type ThroughputSubjectId = (typeof THROUGHPUT_SUBJECTS)[number];

export const SUBJECT_LABELS: Record<ThroughputSubjectId, string> = {
  limit: "limit: no Tailscale",
  bare: "bare baseline (kernel TUN)",
  "containerboot-userspace": "containerboot, defaults (userspace)",
  "containerboot-kernel": "containerboot, TS_USERSPACE=false",
  standard: "this image, standard",
  tiny: "this image, tiny",
};

/** The variants of this image a list of subjects needs built. */
export function variantsOf(subjects: readonly ThroughputSubjectId[]): Variant[] {
  return (["standard", "tiny"] as const).filter((variant) => subjects.includes(variant));
}

/** The container of a subject (undefined for the limit, which runs none). */
export function containerOf(id: ThroughputSubjectId, lab: Pick<BenchLab, "images" | "variantImages">, topology: Pick<Topology, "headscale">): ContainerSpec | undefined {
  switch (id) {
    case "limit":
      return undefined;
    case "bare":
      return { image: lab.images.bare, env: (key, hostname) => subjectEnv("bare", topology, key, hostname) };
    case "containerboot-kernel":
      return { image: lab.images.containerboot, env: (key, hostname) => subjectEnv("containerboot", topology, key, hostname) };
    case "containerboot-userspace":
      // What its users get without TS_USERSPACE: tailscaled in userspace networking (netstack ends
      // every connection and opens it again from the container's own address).
      return {
        image: lab.images.containerboot,
        env: (key, hostname) => {
          const { TS_USERSPACE: _kernel, ...env } = subjectEnv("containerboot", topology, key, hostname);
          return env;
        },
      };
    case "standard":
    case "tiny": {
      const image = lab.variantImages[id];
      if (image === undefined) throw new Error(`the ${id} image was not loaded`);
      return { image, env: (key, hostname) => subjectEnv("image", topology, key, hostname) };
    }
  }
}

/** SUBJECTS=a,b,... (default: all), checked against the known names. */
export function subjectsSetting(): ThroughputSubjectId[] {
  const raw = process.env["SUBJECTS"];
  if (raw === undefined || raw.trim() === "") return [...THROUGHPUT_SUBJECTS];
  const asked = raw.split(",").map((name) => name.trim());
  const unknown = asked.filter((name) => !(THROUGHPUT_SUBJECTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`SUBJECTS=${raw}: unknown ${unknown.join(", ")}; choose from ${THROUGHPUT_SUBJECTS.join(",")}`);
  return asked as ThroughputSubjectId[];
}
