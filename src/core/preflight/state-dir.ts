// The state dir: there or creatable, writable, on its own persistent mount, holding a node's state or not; created when missing.
import type { FilesPort } from "../host.ts";
import { findMount, type MountEntry } from "../system/mountinfo.ts";
import { makeDirectories } from "../system/path-lookup.ts";
import { FIXED_AT_START, createCheck, findFixError, type AppliedFix, type FixOutcome, type PreflightCheck } from "./preflight-check.ts";
import { describeStateMountFix } from "../routeros/container-commands.ts";

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
 * leaves the directory as it was (`doctor` changes nothing); a link planted at that name is removed,
 * never followed (FilesPort.createFile).
 */
export function probeStateDir(files: FilesPort, path: string, mounts: readonly MountEntry[]): StateDirFacts {
  const info = files.stat(path);
  const kind = info.ok ? (info.value.kind === "directory" ? "directory" : "not-a-directory") : "missing";
  let writeError: string | undefined;
  if (kind === "directory") {
    const probe = `${path}/${WRITE_PROBE_FILE}`;
    const written = files.createFile(probe, "", 0o600);
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

const LOST = "node identity will be lost on re-create/reboot";

/** The RouterOS and Docker lines that give the state dir its own persistent mount. */
export function describeMountFix(path: string): string {
  return `${describeStateMountFix(path)}; Docker: -v tailscale-state:${path}`;
}

/** State dir checks: `state-dir` (usable) and `state-persistence` (where it lives). */
export function checkStateDir(facts: StateDirFacts, applied: readonly AppliedFix[] | undefined): readonly PreflightCheck[] {
  const { path } = facts;
  if (facts.kind === "not-a-directory") return [createCheck("state-dir", "fail", `${path} is not a directory`, `remove it, or point TS_STATE_DIR elsewhere`)];
  if (facts.kind === "missing") {
    const error = findFixError(applied, "state-dir");
    if (error !== undefined) return [createCheck("state-dir", "fail", `${path} is missing and cannot be created (${error})`, describeMountFix(path))];
    return [createCheck("state-dir", "warn", `${path} is missing; it will be created (first login)`, FIXED_AT_START), checkPersistence(facts)];
  }
  if (facts.writeError !== undefined) return [createCheck("state-dir", "fail", `${path} is not writable (${facts.writeError}): tailscaled cannot save its state`, describeMountFix(path))];
  const state = facts.hasState ? "existing node state" : "no node state yet: first login";
  return [createCheck("state-dir", "ok", `${path} is writable; ${state}`), checkPersistence(facts)];
}

function checkPersistence(facts: StateDirFacts): PreflightCheck {
  const persistence = classifyPersistence(facts);
  const mount = facts.mount;
  if (persistence === "own-mount" && mount !== undefined) return createCheck("state-persistence", "ok", `${facts.path} is on its own mount (${mount.fsType} at ${mount.mountPoint})`);
  if (persistence === "volatile") return createCheck("state-persistence", "warn", `${facts.path} is on ${mount?.fsType ?? "tmpfs"}: ${LOST}`, describeMountFix(facts.path));
  if (persistence === "container-root") return createCheck("state-persistence", "warn", `${facts.path} is on the container's root filesystem, not its own mount: ${LOST}`, describeMountFix(facts.path));
  return createCheck("state-persistence", "warn", `cannot tell which mount ${facts.path} is on (/proc/self/mountinfo unreadable)`);
}

/** Creates the state dir (mode 700, parents as needed). */
export function createStateDir(files: FilesPort, path: string): FixOutcome {
  const made = makeDirectories(files, path, 0o700);
  return made.ok ? { ok: true, change: `created ${path}` } : { ok: false, error: `mkdir ${path}: ${made.error.message}` };
}
