// Memory: the cgroup limit (v2 memory.max or v1 limit_in_bytes), total and available RAM, and the GOMEMLIMIT planned for tailscaled.
import type { FilesPort } from "../host.ts";
import { createCheck, type PreflightCheck } from "./preflight-check.ts";

/** What the container may use and what the machine has free, in bytes. */
export interface MemoryFacts {
  /** The cgroup limit; undefined when there is none (or it cannot be read). */
  readonly limitBytes: number | undefined;
  readonly limitFile: string | undefined;
  readonly totalBytes: number | undefined;
  readonly availableBytes: number | undefined;
}

/** Share of the limit Go's soft limit gets: the rest is for the supervisor, tailscale CLI and page cache. */
export const GOMEMLIMIT_SHARE = 0.75;
/** Limits at or above this mean "no limit" (cgroup v1 writes PAGE_COUNTER_MAX * page size). */
const UNLIMITED_BYTES = 2 ** 60;
const MIB = 1024 * 1024;

/** Paths of the memory limit files to try, the cgroup's own first, from /proc/self/cgroup. */
export function listLimitFiles(procCgroup: string): readonly string[] {
  const files: string[] = [];
  for (const line of procCgroup.split("\n")) {
    const [id, controllers, path] = line.split(":");
    if (path === undefined) continue;
    if (id === "0" && controllers === "") files.push(`/sys/fs/cgroup${trimSlash(path)}/memory.max`, "/sys/fs/cgroup/memory.max");
    if (controllers?.split(",").includes("memory") === true) files.push(`/sys/fs/cgroup/memory${trimSlash(path)}/memory.limit_in_bytes`, "/sys/fs/cgroup/memory/memory.limit_in_bytes");
  }
  return [...new Set(files)];
}

/** `max` or a huge number → undefined (no limit); a byte count otherwise. */
export function parseLimit(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() === "max" || !Number.isFinite(value) || value <= 0 || value >= UNLIMITED_BYTES ? undefined : value;
}

/** A `/proc/meminfo` field (`MemTotal`, `MemAvailable`) in bytes. */
export function readMeminfoBytes(meminfo: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(meminfo);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/** Reads the limit and the RAM figures. */
export function probeMemory(files: FilesPort): MemoryFacts {
  const cgroup = files.readText("/proc/self/cgroup");
  let limitBytes: number | undefined;
  let limitFile: string | undefined;
  for (const file of cgroup.ok ? listLimitFiles(cgroup.value) : []) {
    const text = files.readText(file);
    if (!text.ok) continue;
    limitFile = file;
    limitBytes = parseLimit(text.value);
    break;
  }
  const meminfo = files.readText("/proc/meminfo");
  const info = meminfo.ok ? meminfo.value : "";
  return { limitBytes, limitFile, totalBytes: readMeminfoBytes(info, "MemTotal"), availableBytes: readMeminfoBytes(info, "MemAvailable") };
}

/** GOMEMLIMIT for tailscaled: 75% of the cgroup limit (or of RAM, when smaller), in MiB; none without a limit. */
export function planGoMemLimit(facts: MemoryFacts): string | undefined {
  if (facts.limitBytes === undefined) return undefined;
  const ceiling = Math.min(facts.limitBytes, facts.totalBytes ?? facts.limitBytes);
  return `${Math.max(1, Math.floor((ceiling * GOMEMLIMIT_SHARE) / MIB))}MiB`;
}

function trimSlash(path: string): string {
  return path === "/" ? "" : path.replace(/\/$/, "");
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
