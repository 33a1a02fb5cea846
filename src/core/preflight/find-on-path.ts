// Finds commands on PATH and creates directory chains: the few file helpers the probes share.
import type { FilesPort, HostResult } from "../host.ts";
import { ok } from "../host.ts";

/** PATH used when the environment has none (the image's default). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Absolute path of the first `name` on `path` that is a file (links followed), or undefined. */
export function findOnPath(files: FilesPort, path: string | undefined, name: string): string | undefined {
  for (const dir of (path ?? DEFAULT_PATH).split(":")) {
    if (dir === "") continue;
    const candidate = `${dir}/${name}`;
    const info = files.stat(candidate);
    if (info.ok && info.value.kind === "file") return candidate;
  }
  return undefined;
}

/** Creates `path` and any missing parents (`mkdir -p`); an existing directory is fine. */
export function makeDirectories(files: FilesPort, path: string, mode: number): HostResult<void> {
  const parts = path.split("/").filter((part) => part !== "");
  let current = "";
  for (const part of parts) {
    current += `/${part}`;
    const info = files.stat(current);
    if (info.ok && info.value.kind === "directory") continue;
    const made = files.mkdir(current, mode);
    if (!made.ok && made.error.code !== "EEXIST") return made;
  }
  return ok(undefined);
}
