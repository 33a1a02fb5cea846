// The supervisor's private directory on tmpfs: the secret key file, tailscaled's config, the health state.
import type { FilesPort } from "../../host.ts";
import { findMount, readMounts } from "../../system/mountinfo.ts";

/** Name of the directory created inside the chosen tmpfs. */
export const RUNTIME_DIR_NAME = "tailscale-supervisor";
/** Memory-backed places, in order of preference. Never the state dir: on a router that is flash. */
export const RUNTIME_DIR_CANDIDATES = ["/run", "/dev/shm", "/tmp"];

/** The runtime directory, and whether it is memory-backed (secrets may be written only then). */
export interface RuntimeDir {
  readonly path: string;
  readonly onTmpfs: boolean;
}

/** Picks the runtime directory: the first candidate on tmpfs, else /tmp (with onTmpfs false). */
export function locateRuntimeDir(files: FilesPort): RuntimeDir {
  const mounts = readMounts(files);
  for (const candidate of RUNTIME_DIR_CANDIDATES) {
    const isDir = files.stat(candidate);
    if (isDir.ok && isDir.value.kind === "directory" && findMount(mounts, candidate)?.fsType === "tmpfs") {
      return { path: `${candidate}/${RUNTIME_DIR_NAME}`, onTmpfs: true };
    }
  }
  return { path: `/tmp/${RUNTIME_DIR_NAME}`, onTmpfs: false };
}

/** Where the iptables links for tailscaled go (first on its PATH): in the runtime directory, so in memory too. */
export function runtimeBinDir(dir: RuntimeDir): string {
  return `${dir.path}/bin`;
}

/** Creates the directory (mode 0700) if needed; an error message when it cannot. */
export function prepareRuntimeDir(files: FilesPort, dir: RuntimeDir): string | undefined {
  const made = files.mkdir(dir.path, 0o700);
  if (made.ok || made.error.code === "EEXIST") return undefined;
  return `cannot create ${dir.path}: ${made.error.message}`;
}
