// The lab a container benchmark runs in: the tools provisioned, this image built and loaded, the
// two images it is compared with derived from its rootfs (entrypoint-images.ts), and the one
// RouterOS-like topology (test/lab/topology.ts) with its Headscale. Shared by `npm run bench` and
// its outage benchmarks, so each sets up Headscale and the namespaces the same way.
import { execa } from "execa";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../support/qjs.ts";
import { podman, type Variant } from "../podman.ts";
import { buildAndLoadImage, provisionTools } from "../sandbox/image.ts";
import { createTopology, type Topology } from "../topology.ts";
import { extractedBytes } from "../../../docker/lib/image-sizes.mjs";
import { prepareImages, readLayer, type BenchImage, type SubjectId } from "./entrypoint-images.ts";

/** What a container benchmark measures in. */
export interface BenchLab {
  readonly variant: Variant;
  readonly topology: Topology;
  readonly images: Record<SubjectId, BenchImage>;
  /** The subjects in their first round's order, each with its label for the tables. */
  readonly order: readonly SubjectId[];
  readonly labels: Record<SubjectId, string>;
  /** A scratch dir for state dirs and the derived images' files; removed afterwards. */
  readonly workDir: string;
  /** This image in each variant loaded (`variant` and those asked for with `alsoVariants`). */
  readonly variantImages: Partial<Record<Variant, BenchImage>>;
}

/** VARIANT=standard|tiny (default standard): which image to measure. */
export function variantSetting(): Variant {
  const variant = (process.env["VARIANT"] ?? "standard") as Variant;
  if (variant !== "standard" && variant !== "tiny") throw new Error(`VARIANT=${variant}: standard or tiny`);
  return variant;
}

/**
 * Containers of benchmark runs that were killed (labelled ts-bench, named ts-bench-PID-...): they hold
 * the veth of a topology that is gone. Those of runs still going (another engineer's) are left alone.
 */
async function removeLeftovers(): Promise<void> {
  const listed = (await podman(["ps", "-a", "--filter", "label=ts-bench", "--format", "{{.ID}} {{.Names}}"])).stdout.split("\n");
  const orphans = listed.flatMap((line) => {
    const [id = "", name = ""] = line.split(" ");
    const pid = /^ts-bench-(\d+)-/.exec(name)?.[1];
    return id !== "" && pid !== undefined && !existsSync(`/proc/${pid}`) ? [id] : [];
  });
  if (orphans.length > 0) await podman(["rm", "-f", "-t", "0", ...orphans], { timeoutMs: 60_000 });
}

/**
 * Sets the lab up, runs `body` in it, and takes it down again whatever happens. The derived images
 * come from `variant`'s rootfs; `alsoVariants` are built and loaded beside it (lab.variantImages).
 */
export async function withBenchLab<T>(variant: Variant, say: (line: string) => void, body: (lab: BenchLab) => Promise<T>, alsoVariants: readonly Variant[] = []): Promise<T> {
  await provisionTools(say);
  await removeLeftovers();
  const { archive } = await buildAndLoadImage(variant, "amd64", say);
  const variantImages: Partial<Record<Variant, BenchImage>> = {};
  for (const other of alsoVariants.filter((candidate) => candidate !== variant)) {
    const built = await buildAndLoadImage(other, "amd64", say);
    variantImages[other] = { id: "image", image: built.image, extractedBytes: extractedBytes(readLayer(built.archive)) };
  }
  const containerboot = (await execa("bash", [join(ROOT, "test/lab/bench/build-containerboot.sh")], { stderr: "inherit" })).stdout.trim();
  const workDir = mkdtempSync(join(tmpdir(), "ts-bench-"));
  const topology = await createTopology(`tb${process.pid % 100000}`, { workDir: join(workDir, "topology") });
  try {
    const images = await prepareImages(archive, containerboot, workDir);
    variantImages[variant] = images.image;
    const labels: Record<SubjectId, string> = { bare: "bare baseline", containerboot: "containerboot", image: `this image (${variant})` };
    return await body({ variant, topology, images, order: ["bare", "containerboot", "image"], labels, workDir, variantImages });
  } finally {
    await topology.remove();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Round `round`'s order: the first round's, rotated by one each round. */
export function rotated<T>(order: readonly T[], round: number): T[] {
  const shift = round % order.length;
  return [...order.slice(shift), ...order.slice(0, shift)];
}
