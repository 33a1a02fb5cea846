// The state dir: there or creatable, writable, on its own persistent mount, and holding a node's state or not.
import type { FilesPort } from "../host.ts";
import { findMount, type MountEntry } from "../system/mountinfo.ts";

/** The file tailscaled keeps the node identity in (`--statedir`). */
export const STATE_FILE = "tailscaled.state";
const WRITE_PROBE_FILE = ".ts-supervisor-write-probe";
/** Filesystems that forget everything at reboot. */
const VOLATILE_FS_TYPES = ["tmpfs", "ramfs"];

/** What the state dir is like. `writeError`: creating a file in it failed (undefined: it worked or was not tried). */
export interface StateDirFacts {
  readonly path: string;
  readonly kind: "directory" | "missing" | "not-a-directory";
  readonly writeError: string | undefined;
  readonly mount: MountEntry | undefined;
  readonly hasState: boolean;
}

/** How the state would survive: on its own mount, on the container's root filesystem, or on a volatile fs. */
export type Persistence = "own-mount" | "container-root" | "volatile" | "unknown";

/**
 * Looks at the state dir. Writability is tried by creating and removing an empty file, which
 * leaves the directory as it was (`doctor` changes nothing).
 */
export function probeStateDir(files: FilesPort, path: string, mounts: readonly MountEntry[]): StateDirFacts {
  const info = files.stat(path);
  const kind = info.ok ? (info.value.kind === "directory" ? "directory" : "not-a-directory") : "missing";
  let writeError: string | undefined;
  if (kind === "directory") {
    const probe = `${path}/${WRITE_PROBE_FILE}`;
    const written = files.writeText(probe, "", { mode: 0o600 });
    writeError = written.ok ? undefined : `${written.error.code}: ${written.error.message}`;
    if (written.ok) files.remove(probe);
  }
  const state = files.stat(`${path}/${STATE_FILE}`);
  return { path, kind, writeError, mount: findMount(mounts, path), hasState: state.ok && state.value.size > 0 };
}

/** Own mount, container root (`/` or the overlay), or tmpfs/ramfs. */
export function classifyPersistence(facts: StateDirFacts): Persistence {
  if (facts.mount === undefined) return "unknown";
  if (VOLATILE_FS_TYPES.includes(facts.mount.fsType)) return "volatile";
  return facts.mount.mountPoint === "/" ? "container-root" : "own-mount";
}
