// The log relay under a flood, as it ships: a bundle (the committed one unless told) under the real
// qjs as PID 1 of its own namespaces (net, mount, pid; /run a fresh tmpfs), with the fake tailscaled
// of test/support/flood first on PATH. Once the supervisor reports Running, the flood starts; the
// relayed lines are counted as they come out. Shared by test/integration/log-flood.test.ts (nothing
// lost, memory flat) and `npm run bench -- log-flood` (lines/s, CPU).
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pollFor } from "../support/pid1.ts";
import { BUNDLE, findQjs, ROOT } from "../support/qjs.ts";

const FLOOD_BIN = `${ROOT}test/support/flood`;
/** The flood's last line (FLOOD_END_LINE), which ends the count. */
export const END_LINE = "flood test: the end";

export interface Flood {
  /** tailscaled's relayed lines (message text) between Running and the end line, when kept. */
  readonly relayed: string[];
  /** tailscaled's lines relayed, each repeat counted in "previous line repeated times=N" included. */
  relayedCount(): number;
  bytesOut(): number;
  /** VmRSS (KB) of qjs, sampled every 100 ms from the start of the flood. */
  readonly rssKb: number[];
  rssBeforeKb(): number;
  /** Resolves when the end line came out: ms from the flood's start to then, and qjs's CPU ns in between. */
  readonly ended: Promise<{ elapsedMs: number; cpuNs: number }>;
  stop(): Promise<number>;
  /** Host pid of the supervisor (its /run is at /proc/PID/root/run). */
  readonly qjsPid: number;
}

/** The run time (ns) of a process so far, all its threads (/proc/PID/schedstat). */
function cpuNsOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0] ?? "0");
}

/**
 * Starts the supervisor with the flood's environment (FLOOD_FILES, FLOOD_LINES, FLOOD_RATE, ...: see
 * test/support/flood/tailscaled); the flood starts once it is Running. `keep`: keep the relayed texts.
 */
export async function startFlood(env: Record<string, string>, options: { format: "plain" | "json"; keep: boolean; bundle?: string }): Promise<Flood> {
  const dir = mkdtempSync(join(tmpdir(), "flood-"));
  const inner = 'mount -t tmpfs tmpfs /run && exec "$0" "$@"';
  const child = execa("unshare", ["--net", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "sh", "-c", inner, findQjs(), options.bundle ?? BUNDLE], {
    env: {
      PATH: `${FLOOD_BIN}:/usr/sbin:/usr/bin:/sbin:/bin`,
      FAKE_DIR: dir,
      FAKE_STATUS_JSON: `${ROOT}test/fixtures/tailscale/status/status-running.json`,
      TS_STATE_DIR: `${dir}/state`,
      TS_SOCKET: `${dir}/tailscaled.sock`,
      TS_USERSPACE: "true",
      TS_NETFILTER_MODE: "off",
      LOG_FORMAT: options.format,
      FLOOD_GO: `${dir}/go`,
      FLOOD_END_LINE: END_LINE,
      // The relay itself: every line logged (the quiet default's own test sets important).
      TS_TAILSCALED_LOG: "all",
      ...env,
    },
    extendEnv: false,
    reject: false,
    all: true,
    buffer: false,
  });
  const relayed: string[] = [];
  let count = 0;
  let bytes = 0;
  let partial = "";
  let phase: "starting" | "flooding" | "ended" = "starting";
  let qjsPid = 0;
  let startedAt = 0;
  let cpuAtStart = 0;
  let onEnded = (_figures: { elapsedMs: number; cpuNs: number }): void => undefined;
  const ended = new Promise<{ elapsedMs: number; cpuNs: number }>((resolve) => (onEnded = resolve));
  const messageOf = (line: string): string | undefined => {
    if (options.format === "plain") return line.startsWith("INFO tailscaled: ") ? line.slice("INFO tailscaled: ".length) : undefined;
    const record = JSON.parse(line) as { component?: string; msg?: string; times?: number };
    if (record.component !== "tailscaled") return undefined;
    return record.msg === "previous line repeated" ? `previous line repeated times=${record.times}` : record.msg;
  };
  child.all?.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    const lines = (partial + chunk.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (phase === "starting") {
        if (line.includes("tailscale is running")) phase = "flooding";
        continue;
      }
      if (phase === "ended") continue;
      const message = messageOf(line);
      if (message === undefined) continue;
      if (message === END_LINE) {
        phase = "ended";
        onEnded({ elapsedMs: performance.now() - startedAt, cpuNs: cpuNsOf(qjsPid) - cpuAtStart });
      } else {
        count += Number(/^previous line repeated times=(\d+)$/.exec(message)?.[1] ?? 1);
        if (options.keep) relayed.push(message);
      }
    }
  });
  const outer = child.pid ?? 0;
  qjsPid = await pollFor(() => {
    const first = readFileSync(`/proc/${outer}/task/${outer}/children`, "utf8").trim().split(/\s+/)[0];
    return first !== undefined && first !== "" && readFileSync(`/proc/${first}/comm`, "utf8").trim() === "qjs" ? Number(first) : undefined;
  }, 10_000);
  await pollFor(() => (phase !== "starting" ? true : undefined), 30_000, () => "the supervisor never reported Running");
  const rssKb: number[] = [];
  const rss = (): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${qjsPid}/status`, "utf8"))?.[1] ?? "0");
  const before = rss();
  const sampler = setInterval(() => {
    try {
      rssKb.push(rss());
    } catch {
      // Gone: the run is over.
    }
  }, 100);
  cpuAtStart = cpuNsOf(qjsPid);
  startedAt = performance.now();
  writeFileSync(`${dir}/go`, "");
  return {
    relayed,
    relayedCount: () => count,
    bytesOut: () => bytes,
    rssKb,
    rssBeforeKb: () => before,
    ended,
    qjsPid,
    async stop() {
      clearInterval(sampler);
      process.kill(qjsPid, "SIGTERM");
      return (await child).exitCode ?? -1;
    },
  };
}
