// `doctor`'s live section on the fake host: no tailscaled socket, nothing run (and what the supervisor
// recorded); with one, `tailscale status --json` and `tailscale netcheck` (each bounded in time and
// output), their facts parsed, and a command that failed named by why.
import { describe, expect, it } from "vitest";
import { collectLive } from "../../../src/core/live/collect-live.ts";
import { COMMAND_TIMEOUTS } from "../../../src/core/process/command-timeouts.ts";
import { configOf } from "../../fakes/config-of.ts";
import { createFakeCommands, type FakeAnswer } from "../../fakes/fake-commands.ts";
import type { FakeEntry } from "../../fakes/fake-files.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const NOW = 1_700_000_000_000;
const SOCKET = "/var/run/tailscale/tailscaled.sock";
const TMPFS_RUN = "1 0 8:1 / / rw - ext4 /dev/root rw\n22 1 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n";
const STATUS_FILE = "/run/tailscale-supervisor/status.json";
const RECORDED = { supervisorPid: 1, state: "Running", sinceMs: NOW - 60_000 };
const STATUS_JSON = JSON.stringify({ BackendState: "Running", Self: { TailscaleIPs: ["100.64.0.7"], DNSName: "router.example.test.", Relay: "fra", AllowedIPs: ["100.64.0.7/32"] }, Peer: {}, Health: [] });
const NETCHECK_JSON = JSON.stringify({ UDP: true, PreferredDERP: 4, RegionLatency: { "4": 12_500_000 } });

function setUp(files: Record<string, string | Partial<FakeEntry>>, answer: (argv: readonly string[]) => FakeAnswer | undefined = () => undefined, env: Record<string, string> = {}) {
  const host = createFakeHost({ startMs: NOW, files: { "/proc/self/mountinfo": TMPFS_RUN, "/run": { kind: "directory", mode: 0o755 }, ...files } });
  const commands = createFakeCommands(answer);
  return { host, commands, run: () => collectLive(host, configOf(env), commands.runner) };
}

/** tailscale status / netcheck answering with `status` and `netcheck`. */
const answers = (status: FakeAnswer, netcheck: FakeAnswer) => (argv: readonly string[]) => (argv.includes("status") ? status : netcheck);
const SOCKET_FILE = { [SOCKET]: { kind: "socket" as const, mode: 0o755 } };

describe("collectLive", () => {
  it("no socket: not running, and nothing run", async () => {
    const { run, commands } = setUp({});
    expect(await run()).toEqual({ running: false, reason: `tailscaled is not running here (no socket at ${SOCKET})` });
    expect(commands.ran).toEqual([]);
  });

  it("no socket, but a recorded state: says what the supervisor recorded", async () => {
    const { run } = setUp({ [STATUS_FILE]: JSON.stringify({ ...RECORDED, state: "Failed" }) });
    expect(await run()).toEqual({ running: false, reason: `tailscaled is not running here (no socket at ${SOCKET}; the supervisor recorded Failed)` });
  });

  it("a plain file where the socket should be is no socket", async () => {
    const { run, commands } = setUp({ [SOCKET]: "" });
    expect(await run()).toMatchObject({ running: false });
    expect(commands.ran).toEqual([]);
  });

  it("TS_SOCKET is where it looks, and what the CLI is told", async () => {
    const socket = "/tmp/ts.sock";
    const { run, commands } = setUp({ [socket]: { kind: "socket", mode: 0o755 } }, answers({ stdout: STATUS_JSON }, { stdout: NETCHECK_JSON }), { TS_SOCKET: socket });
    expect(await run()).toMatchObject({ running: true });
    expect(commands.ran.map((argv) => argv[1])).toEqual([`--socket=${socket}`, `--socket=${socket}`]);
  });

  it("running: both commands, each with its time limit and an output bound; their facts and the checks", async () => {
    const { run, commands } = setUp({ ...SOCKET_FILE, [STATUS_FILE]: JSON.stringify(RECORDED) }, answers({ stdout: STATUS_JSON }, { stdout: NETCHECK_JSON, stderr: "Warning: client version != tailscaled\n" }));
    const live = await run();
    expect(commands.ran).toEqual([
      ["tailscale", `--socket=${SOCKET}`, "status", "--json"],
      ["tailscale", `--socket=${SOCKET}`, "netcheck", "--format=json"],
    ]);
    expect(commands.options).toEqual([
      { label: "tailscale status", timeoutMs: COMMAND_TIMEOUTS.status.ms, maxOutputBytes: 4 * 1024 * 1024 },
      { label: "tailscale netcheck", timeoutMs: COMMAND_TIMEOUTS.netcheck.ms, maxOutputBytes: 4 * 1024 * 1024 },
    ]);
    if (!live.running) throw new Error("expected the live section");
    expect(live.facts).toMatchObject({ nowMs: NOW, status: RECORDED, node: { backendState: "Running", ips: ["100.64.0.7"], dnsName: "router.example.test", relay: "fra" }, netcheck: { udp: true, preferredDerp: 4, latencyMs: 12.5 } });
    expect(live.checks.find((check) => check.id === "state")).toEqual({ id: "state", status: "ok", what: "Running for 1m" });
    expect(live.checks.find((check) => check.id === "addresses")).toEqual({ id: "addresses", status: "ok", what: "100.64.0.7 (router.example.test)" });
  });

  it("a command that did not run to its end: its error, as the runner worded it", async () => {
    const { run } = setUp(SOCKET_FILE, answers({ failure: "timed-out", error: "tailscale status did not finish within 30s and was ended" }, { failure: "stopped", error: "tailscale netcheck was ended by the stop request" }));
    const live = await run();
    expect(live).toMatchObject({ running: true, facts: { node: { error: "tailscale status did not finish within 30s and was ended" }, netcheck: { error: "tailscale netcheck was ended by the stop request" } } });
    if (live.running) expect(live.checks[0]).toMatchObject({ id: "state", status: "fail", what: "no answer from tailscaled: tailscale status did not finish within 30s and was ended" });
  });

  it("a command that failed: the last line it printed on stderr", async () => {
    const { run } = setUp(SOCKET_FILE, answers({ code: 1, stderr: "some detail\nfailed to connect to local tailscaled; it doesn't appear to be running\n" }, { code: 1, stderr: "netcheck: no DERP map\n" }));
    expect(await run()).toMatchObject({ running: true, facts: { node: { error: "failed to connect to local tailscaled; it doesn't appear to be running" }, netcheck: { error: "netcheck: no DERP map" } } });
  });

  it("a command that failed silently: how it ended, never an empty reason", async () => {
    const { run } = setUp(SOCKET_FILE, answers({ code: 1 }, { signal: 9, stderr: "\n" }));
    expect(await run()).toMatchObject({ running: true, facts: { node: { error: "tailscale status failed (code 1)" }, netcheck: { error: "tailscale netcheck failed (signal 9)" } } });
  });

  it("output that is not what the command prints: unexpected output", async () => {
    const { run } = setUp(SOCKET_FILE, answers({ stdout: "not json" }, { stdout: '{"no":"report"}' }));
    expect(await run()).toMatchObject({ running: true, facts: { node: { error: "unexpected output" }, netcheck: { error: "unexpected output" } } });
  });
});
