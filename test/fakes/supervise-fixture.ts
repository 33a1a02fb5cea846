// A fake container for supervisor phase tests: tmpfs /run, /dev/net/tun, setsid on PATH, scripted tailscaled.
import type { FakeHost, FakeProcessScript } from "./fake-host.ts";
import type { FakeEntry } from "./fake-files.ts";
import { createFakeHost } from "./fake-host.ts";
import { runCli } from "../../src/core/run.ts";
import type { Outcome } from "../../src/core/outcome.ts";

export const RUNNING_STATUS_JSON = JSON.stringify({
  BackendState: "Running",
  Self: { HostName: "router", DNSName: "router.example.ts.net.", TailscaleIPs: ["100.64.0.1", "fd7a:115c:a1e0::1"], AllowedIPs: ["100.64.0.1/32", "fd7a:115c:a1e0::1/128", "192.168.88.0/24"] },
  Health: [],
});

/** tailscaled lines of a login that reaches Running (verbatim shapes from test/fixtures/tailscale). */
export const LINES_TO_RUNNING = [
  { atMs: 20, text: "2026/11/25 17:35:19 Program starting: v1.102.3, Go 1.26.8: []string{\"tailscaled\"}" },
  { atMs: 50, text: "2026/11/25 17:35:20 Switching ipn state NoState -> Starting (WantRunning=true, nm=true)" },
  { atMs: 300, text: "2026/11/25 17:35:23 Switching ipn state Starting -> Running (WantRunning=true, nm=true)" },
];

const MOUNTINFO = ["1 0 8:1 / / rw - ext4 /dev/root rw", "22 1 0:21 / /run rw,nosuid - tmpfs tmpfs rw", "23 1 0:22 / /proc rw - proc proc rw"].join("\n");

/** A state dir whose tailscaled.state holds a login (shape of a real one: test/fixtures/tailscale). */
export const LOGGED_IN_STATE = { "/var/lib/tailscale/tailscaled.state": JSON.stringify({ "_current-profile": "cHJvZmlsZS1kNjc3", _machinekey: "bWtleQ==", _profiles: "e30=", "profile-d677": "e30=" }) };

/** Files of a typical container. */
export const CONTAINER_FILES = {
  "/proc/self/mountinfo": MOUNTINFO,
  "/proc/sys/kernel/arch": "x86_64\n",
  "/run": { kind: "directory" as const, mode: 0o755 },
  "/dev/net/tun": { kind: "char-device" as const, mode: 0o600, rdev: (10 << 8) | 200 },
  "/usr/bin/setsid": { kind: "file" as const, mode: 0o755 },
  "/usr/local/bin/tailscaled": { kind: "file" as const, mode: 0o755 },
  "/usr/local/bin/tailscale": { kind: "file" as const, mode: 0o755 },
};

/** What each program does, by argv; `setsid X ...` counts as `X ...` (tailscaled and hooks run in a session of their own). */
export interface ProgramScripts {
  readonly tailscaled: (run: number) => FakeProcessScript;
  readonly tailscale?: (args: readonly string[]) => FakeProcessScript;
  /** `tailscale status`; default: what tailscaled's lines so far say (statusFromLog). */
  readonly status?: () => FakeProcessScript;
  /** Anything else (hooks, probes); default: exits 0. */
  readonly others?: (argv: readonly string[]) => FakeProcessScript | undefined;
}

/** A fake container running the supervisor; `outcome` settles when it exits. */
export function startSupervisor(env: Record<string, string>, programs: ProgramScripts, files: Record<string, Partial<FakeEntry> | string | null> = {}): { host: FakeHost; outcome: Promise<Outcome> } {
  let daemonRuns = 0;
  const host = createFakeHost({
    argv: [],
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...env },
    files: withoutNulls({ ...CONTAINER_FILES, ...files }),
    script: (wrapped) => {
      const argv = wrapped[0] === "setsid" ? wrapped.slice(1) : wrapped;
      const program = argv[0];
      if (program === "tailscaled") return programs.tailscaled(++daemonRuns);
      if (program === "tailscale") {
        const args = argv.slice(1);
        if (args.includes("status")) return programs.status?.() ?? { stdout: statusFromLog(host.stderr()), runMs: 5, exit: { kind: "exited", code: 0 } };
        return programs.tailscale?.(args) ?? { runMs: 5, exit: { kind: "exited", code: 0 } };
      }
      return programs.others?.(argv) ?? { runMs: 1, exit: { kind: "exited", code: 0 } };
    },
  });
  return { host, outcome: runCli(host) };
}

/**
 * `tailscale status --json` as the real LocalAPI would answer after the relayed lines so far: the
 * Running status above once Running; else the last state switched to, and the refusals printed as
 * the login error of its health (fixtures status/status-rejected-*.json).
 */
export function statusFromLog(log: string): string {
  const states = [...log.matchAll(/Switching ipn state \w+ -> (\w+)/g)].map((match) => match[1]);
  const state = states[states.length - 1] ?? "NoState";
  if (state === "Running") return RUNNING_STATUS_JSON;
  const errors = [...log.matchAll(/Received error: ([^\n"]+)/g)].map((match) => match[1] ?? "");
  const last = errors[errors.length - 1];
  return JSON.stringify({ BackendState: state, Health: last === undefined ? [] : [`You are logged out. The last login error was: ${last}`] });
}

/** Pids of tailscaled runs, in start order. */
export function daemonRuns(host: FakeHost) {
  return host.spawned.filter((process) => process.argv.includes("tailscaled"));
}

/** Lets the supervisor run for `ms` of virtual time. */
export async function runFor(host: FakeHost, ms: number): Promise<void> {
  const end = host.elapsed() + ms;
  while (host.elapsed() < end) {
    await host.settle();
    host.advance(Math.min(50, end - host.elapsed()));
  }
  await host.settle();
}

function withoutNulls(files: Record<string, Partial<FakeEntry> | string | null>): Record<string, Partial<FakeEntry> | string> {
  const result: Record<string, Partial<FakeEntry> | string> = {};
  for (const [path, entry] of Object.entries(files)) if (entry !== null) result[path] = entry;
  return result;
}
