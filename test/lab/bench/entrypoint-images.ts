// The three images the entrypoint benchmark compares, all from the SAME rootfs (the image's layer:
// the same tailscaled, busybox, iptables, CA bundle), so only the entrypoint differs:
//   image          the RouterOS archive as built (the supervisor: QuickJS with the bundle, as PID 1)
//   containerboot  the rootfs without the supervisor, plus Tailscale's containerboot (built from
//                  the pinned Tailscale module by build-containerboot.sh) as the entrypoint
//   bare           the rootfs without the supervisor, plus bare-entrypoint.sh run by busybox sh
import { execa } from "execa";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadArchive, podman } from "../podman.ts";
import { ROOT } from "../../support/qjs.ts";
import { extractedBytes } from "../../../docker/lib/image-sizes.mjs";
import { readTarEntry } from "../../../docker/lib/tar.mjs";

export type SubjectId = "bare" | "containerboot" | "image";

export interface BenchImage {
  readonly id: SubjectId;
  /** podman image id. */
  readonly image: string;
  /** Bytes of the regular files in its rootfs (what a router's flash holds once extracted). */
  readonly extractedBytes: number;
}

const SUPERVISOR_FILES = ["usr/local/bin/supervisor", "usr/local/bin/qjs"];

/** The layer and the image config (its Env) of a docker-archive. */
function readArchive(archive: string): { layer: Buffer; env: string[] } {
  const tar = readFileSync(archive);
  const manifest = JSON.parse(readTarEntry(tar, "manifest.json").toString()) as Array<{ Config: string; Layers: string[] }>;
  const config = JSON.parse(readTarEntry(tar, manifest[0]?.Config ?? "").toString()) as { config: { Env?: string[] } };
  return { layer: readTarEntry(tar, manifest[0]?.Layers[0] ?? ""), env: config.config.Env ?? [] };
}

/** The layer of a docker-archive (its extracted size is the image's size). */
export function readLayer(archive: string): Buffer {
  return readArchive(archive).layer;
}

/**
 * The image's layer with the supervisor's files deleted and `file` added at `path` (GNU tar, owner
 * 0:0), imported into podman with `entrypoint` and the image's own Env.
 */
async function derive(id: SubjectId, archive: string, workDir: string, file: string, path: string, entrypoint: readonly string[]): Promise<BenchImage> {
  const { layer, env } = readArchive(archive);
  const dir = join(workDir, `image-${id}`);
  mkdirSync(join(dir, "root", path, ".."), { recursive: true });
  const tar = join(dir, "rootfs.tar");
  writeFileSync(tar, layer);
  await execa("tar", ["--delete", "-f", tar, ...SUPERVISOR_FILES]);
  copyFileSync(file, join(dir, "root", path));
  chmodSync(join(dir, "root", path), 0o755);
  await execa("tar", ["-rf", tar, "--owner=0", "--group=0", "--numeric-owner", "-C", join(dir, "root"), path]);
  const changes = [`ENTRYPOINT ${JSON.stringify(entrypoint)}`, "CMD []", "STOPSIGNAL SIGTERM", ...env.map((line) => `ENV ${line}`)].flatMap((change) => ["--change", change]);
  const imported = await podman(["import", ...changes, tar, `localhost/ts-bench-${id}:latest`], { timeoutMs: 300_000 });
  if (imported.exitCode !== 0) throw new Error(`podman import ${id}: ${imported.stderr}`);
  return { id, image: imported.stdout.trim().split("\n").pop() ?? "", extractedBytes: extractedBytes(readFileSync(tar)) };
}

/** Loads the image's archive and derives the other two from its layer. */
export async function prepareImages(archive: string, containerboot: string, workDir: string): Promise<Record<SubjectId, BenchImage>> {
  const image: BenchImage = { id: "image", image: await loadArchive(archive), extractedBytes: extractedBytes(readArchive(archive).layer) };
  return {
    image,
    containerboot: await derive("containerboot", archive, workDir, containerboot, "usr/local/bin/containerboot", ["/usr/local/bin/containerboot"]),
    bare: await derive("bare", archive, workDir, join(ROOT, "test/lab/bench/bare-entrypoint.sh"), "usr/local/bin/bare-entrypoint.sh", ["/bin/sh", "/usr/local/bin/bare-entrypoint.sh"]),
  };
}
