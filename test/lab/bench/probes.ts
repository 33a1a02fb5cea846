// What the entrypoint benchmark reads, from outside the container and without disturbing it: times
// from podman's own records (the container's start, and each log line's arrival in conmon's log
// file), memory from /proc, CPU from the container's cgroup, and the first packet through the route.
import { readFileSync } from "node:fs";
import { podman } from "../podman.ts";
import type { Topology } from "../topology.ts";
import { TOPOLOGY } from "../topology.ts";
import { childrenOf } from "../router.ts";

/** Epoch seconds (µs precision) of an RFC 3339 time with nanoseconds. */
export function epochSeconds(rfc3339: string): number {
  const match = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?\s*(Z|[+-]\d\d:?\d\d)?/.exec(rfc3339.trim());
  if (match === null) throw new Error(`not a time: ${rfc3339}`);
  const zone = match[4] === undefined || match[4] === "Z" ? "Z" : match[4].replace(/^([+-]\d\d)(\d\d)$/, "$1:$2");
  const whole = Date.parse(`${match[1]}T${match[2]}${zone}`) / 1000;
  return whole + Number(`0.${(match[3] ?? "0").padEnd(6, "0").slice(0, 6)}`);
}

/** What podman recorded about a container: its start (epoch s), PID 1, conmon's log file. */
export async function inspect(name: string): Promise<{ startedAt: number; pid: number; logPath: string; exitCode: number }> {
  const format = "{{.State.StartedAt}}|{{.State.Pid}}|{{.HostConfig.LogConfig.Path}}|{{.State.ExitCode}}";
  const [startedAt = "", pid = "0", logPath = "", exitCode = "-1"] = (await podman(["inspect", "--format", format, name])).stdout.trim().split("|");
  // podman prints "2026-11-26 00:08:36.80013279 +0000 UTC".
  return { startedAt: epochSeconds(startedAt.replace(/ UTC$/, "")), pid: Number(pid), logPath, exitCode: Number(exitCode) };
}

/** One record of conmon's log file (k8s-file: `TIME stdout|stderr F|P text`; P: a part, F: a line's end). */
export interface LogRecord {
  /** When conmon wrote it (epoch s, µs precision). */
  readonly at: number;
  readonly text: string;
  /** Whether it ends a line (a long line comes as P records and a last F one). */
  readonly ends: boolean;
}

/** The records of conmon's log file so far (none while it does not exist). */
export function readLogRecords(logPath: string): LogRecord[] {
  let text = "";
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    // Not written yet.
  }
  return text.split("\n").flatMap((line) => {
    const match = /^(\S+) (?:stdout|stderr) ([FP]) (.*)$/.exec(line);
    return match === null ? [] : [{ at: epochSeconds(match[1] ?? ""), text: match[3] ?? "", ends: match[2] === "F" }];
  });
}

/**
 * The arrival time (epoch s) of the first line matching `pattern` in conmon's log file, of those
 * written at `sinceEpoch` or later (default: any), polled every 20 ms up to `timeoutMs`.
 */
export async function waitForLogLine(logPath: string, pattern: RegExp, timeoutMs: number, sinceEpoch = 0): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = readLogRecords(logPath);
    const found = records.find((record) => record.at >= sinceEpoch && pattern.test(record.text));
    if (found !== undefined) return found.at;
    if (Date.now() > deadline) throw new Error(`no log line ${pattern} within ${timeoutMs / 1000} s in ${logPath}:\n${records.slice(-30).map((record) => record.text).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** VmRSS of a process in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0") * 1024;
  } catch {
    return 0;
  }
}

/** A process and all its descendants (host pids). */
export function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** The cpuacct cgroup directory of a process (cgroup v1, as podman uses it on this machine). */
export function cpuacctDir(pid: number): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((entry) => /^\d+:[^:]*\bcpuacct\b[^:]*:/.test(entry));
  if (line === undefined) throw new Error(`no cpuacct cgroup for pid ${pid} (cgroup v1 expected)`);
  return `/sys/fs/cgroup/cpuacct${line.slice(line.lastIndexOf(":") + 1)}`;
}

/** The memory cgroup directory of a process (cgroup v1). */
export function memoryCgroupDir(pid: number): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((entry) => /^\d+:[^:]*\bmemory\b[^:]*:/.test(entry));
  if (line === undefined) throw new Error(`no memory cgroup for pid ${pid} (cgroup v1 expected)`);
  return `/sys/fs/cgroup/memory${line.slice(line.lastIndexOf(":") + 1)}`;
}

/** The most the cgroup held (bytes, page cache included), and how many of its processes the OOM killer took. */
export function cgroupMemory(dir: string): { peakBytes: number; oomKills: number } {
  const peakBytes = Number(readFileSync(`${dir}/memory.max_usage_in_bytes`, "utf8").trim());
  const oomKills = Number(/^oom_kill (\d+)$/m.exec(readFileSync(`${dir}/memory.oom_control`, "utf8"))?.[1] ?? "0");
  return { peakBytes, oomKills };
}

/** CPU time (ns) used so far by every process of the cgroup, exited ones included. */
export function cgroupCpuNs(dir: string): number {
  return Number(readFileSync(`${dir}/cpuacct.usage`, "utf8").trim());
}

/** Whether a process has exited (gone, or a zombie not reaped yet). */
export function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Sends SIGTERM to a PID 1 from the host (as `podman stop` does through runc); seconds until it exited. */
export async function sigtermToGone(pid: number, timeoutMs = 30_000): Promise<number> {
  const startedAt = performance.now();
  process.kill(pid, "SIGTERM");
  while (!hasExited(pid)) {
    if (performance.now() - startedAt > timeoutMs) throw new Error(`pid ${pid} still there ${timeoutMs / 1000} s after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return (performance.now() - startedAt) / 1000;
}

/**
 * A TCP probe from the namespace `from` to `host`:`port`, retried every few ms (each attempt bounded
 * to 0.2 s) until a connection is made; resolves with the epoch time (s) it succeeded, or fails with
 * `failure` after `timeoutMs`.
 */
export function firstTcpConnection(topology: Pick<Topology, "spawn">, from: keyof Topology["ns"], host: string, port: number, timeoutMs: number, failure: string): { done: Promise<number>; cancel: () => void } {
  const attempt = `true 3<>/dev/tcp/${host}/${port}`;
  const script = `until timeout 0.2 bash -c '${attempt}' 2>/dev/null; do sleep 0.005; done; echo "$EPOCHREALTIME"`;
  const child = topology.spawn(from, ["timeout", String(Math.ceil(timeoutMs / 1000)), "bash", "-c", script]);
  return { done: child.output.then((output) => {
    const value = Number(output.trim());
    if (!Number.isFinite(value) || value === 0) throw new Error(failure);
    return value;
  }), cancel: () => child.kill("SIGKILL") };
}

/**
 * The first connection from the tailnet client to the LAN host's page (firstTcpConnection). The
 * topology gives the client no other way to the LAN than the approved route.
 */
export function firstConnection(topology: Pick<Topology, "spawn" | "ns">, timeoutMs: number): { done: Promise<number>; cancel: () => void } {
  return firstTcpConnection(topology, "client", TOPOLOGY.lanHost, 80, timeoutMs, "the client never reached the LAN host through the approved route");
}
