// The sandbox's names and its record on disk: one sandbox per name (TS_SANDBOX_NAME, default
// "tsbox"), its namespaces `<name>-ctr`... (test/lab/topology.ts), its containers labelled
// `ts-sandbox=<name>`, its files under /run/ts-sandbox/<name>/ with session.json saying what was made
// (written as each thing starts, so a killed run can be cleaned by the next start or by `down`).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The default sandbox name, and the variable that picks another (two sandboxes side by side). */
export const DEFAULT_NAME = "tsbox";
export const NAME_VARIABLE = "TS_SANDBOX_NAME";
const RUN_DIR = "/run/ts-sandbox";
/** The podman label every container of a sandbox carries. */
export const LABEL = "ts-sandbox";

/** A process the sandbox started, identified by pid and start time (a reused pid is not it). */
export interface ProcessRecord {
  readonly pid: number;
  readonly startTime: string;
  readonly what: string;
}

/** What session.json holds. */
export interface SessionRecord {
  readonly name: string;
  /** The `npm start` process (its pid and start time). */
  readonly owner: ProcessRecord;
  readonly variant: string;
  readonly arch: string;
  container?: string;
  hostname?: string;
  clientSocket?: string;
  /** The host's `tailscale` CLI for the client (the tests' build). */
  tailscaleCli?: string;
  clientIp?: string;
  headscaleCli?: readonly string[];
  nodeId?: string;
  /** True once the traffic checks passed. */
  ready?: boolean;
  processes: ProcessRecord[];
}

/** The sandbox name from the environment, checked (it becomes part of namespace and interface names). */
export function sandboxName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env[NAME_VARIABLE] ?? DEFAULT_NAME;
  if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) throw new Error(`${NAME_VARIABLE}="${name}" is not a valid sandbox name: use 1-8 lowercase letters and digits, starting with a letter`);
  return name;
}

/** The sandbox's directory (its files, the container's state volume, session.json). */
export const workDirOf = (name: string): string => join(RUN_DIR, name);
const recordPath = (name: string): string => join(workDirOf(name), "session.json");

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or "" when the process is gone. */
export function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

/** A record of a live process (undefined when the pid is not known). */
export function recordProcess(pid: number | undefined, what: string): ProcessRecord | undefined {
  return pid === undefined ? undefined : { pid, startTime: startTimeOf(pid), what };
}

/** Whether the recorded process still runs (same pid, same start time, not a zombie). */
export function isAlive(record: ProcessRecord): boolean {
  if (startTimeOf(record.pid) !== record.startTime) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${record.pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

export function readSession(name: string): SessionRecord | undefined {
  if (!existsSync(recordPath(name))) return undefined;
  try {
    return JSON.parse(readFileSync(recordPath(name), "utf8")) as SessionRecord;
  } catch {
    return undefined;
  }
}

export function writeSession(record: SessionRecord): void {
  mkdirSync(workDirOf(record.name), { recursive: true, mode: 0o700 });
  writeFileSync(recordPath(record.name), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the sandbox's directory (session.json with it). */
export function removeWorkDir(name: string): void {
  rmSync(workDirOf(name), { recursive: true, force: true });
}
