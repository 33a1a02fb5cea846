// Checks for the state dir (there, writable, persistent, first login or not) and memory (limit, GOMEMLIMIT).
import { createCheck, findFixError, FIXED_AT_START, type AppliedFix, type PreflightCheck } from "./preflight-check.ts";
import { planGoMemLimit, type MemoryFacts } from "./probe-memory.ts";
import { classifyPersistence, type StateDirFacts } from "./probe-state-dir.ts";

const MIB = 1024 * 1024;
const LOST = "node identity will be lost on re-create/reboot";

/** The RouterOS and Docker lines that give the state dir its own persistent mount. */
export function describeMountFix(path: string): string {
  return `RouterOS: /container/mounts/add list=ts_state src=tailscale/state dst=${path}, then mountlists=ts_state on the container (7.21+; mounts= before); Docker: -v tailscale-state:${path}`;
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

/** Memory check: limit, RAM, and the GOMEMLIMIT planned (a user's own GOMEMLIMIT wins). */
export function checkMemory(facts: MemoryFacts, env: Readonly<Record<string, string>>): { readonly check: PreflightCheck; readonly goMemLimit: string | undefined } {
  const limit = facts.limitBytes === undefined ? "no cgroup memory limit" : `cgroup limit ${toMib(facts.limitBytes)}`;
  const ram = `RAM ${toMib(facts.totalBytes)}, available ${toMib(facts.availableBytes)}`;
  const userValue = env["GOMEMLIMIT"];
  if (userValue !== undefined) return { check: createCheck("memory", "ok", `${limit}; ${ram}; GOMEMLIMIT=${userValue} as set`), goMemLimit: undefined };
  const goMemLimit = planGoMemLimit(facts);
  const plan = goMemLimit === undefined ? "GOMEMLIMIT not set" : `tailscaled gets GOMEMLIMIT=${goMemLimit}`;
  return { check: createCheck("memory", "ok", `${limit}; ${ram}; ${plan}`), goMemLimit };
}

function toMib(bytes: number | undefined): string {
  return bytes === undefined ? "unknown" : `${Math.round(bytes / MIB)} MiB`;
}
