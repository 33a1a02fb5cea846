// The supervisor's private directory on tmpfs: the secret key file, tailscaled's config, the health state.
import type { FilesPort } from "../../host.ts";
import { removeTree } from "../../system/remove-tree.ts";
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

/**
 * Creates the directory (mode 0700). One already there is used only when it is a directory (not a
 * link to one) of this process's owner that no one else may enter (mode without group or other
 * bits): /tmp and /dev/shm are writable by anyone, and the directory will hold the key's copy.
 * Otherwise it is removed (links not followed) and made again. An error message when it cannot be.
 */
export function prepareRuntimeDir(files: FilesPort, dir: RuntimeDir): string | undefined {
  const made = files.mkdir(dir.path, 0o700);
  if (made.ok) return undefined;
  if (made.error.code !== "EEXIST") return `cannot create ${dir.path}: ${made.error.message}`;
  const problem = describeUnsafe(files, dir.path);
  if (problem === undefined) return undefined;
  const removed = removeTree(files, dir.path);
  if (!removed.ok) return `${dir.path} ${problem} and cannot be removed: ${removed.error.message}`;
  const again = files.mkdir(dir.path, 0o700);
  return again.ok ? undefined : `cannot create ${dir.path} again (it ${problem}): ${again.error.message}`;
}

/** What is wrong with an existing runtime directory, or undefined. */
function describeUnsafe(files: FilesPort, path: string): string | undefined {
  const info = files.lstat(path);
  if (!info.ok) return `cannot be examined (${info.error.message})`;
  if (info.value.kind !== "directory") return `is a ${info.value.kind}, not a directory`;
  // The owner of /proc/self is this process's (effective) user: qjs has no getuid.
  const self = files.stat("/proc/self");
  if (self.ok && info.value.uid !== self.value.uid) return `belongs to user ${info.value.uid}, not to ${self.value.uid}`;
  if ((info.value.mode & 0o077) !== 0) return `has mode ${info.value.mode.toString(8)}, not 700`;
  return undefined;
}
