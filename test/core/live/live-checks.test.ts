// doctor's live checks: each fact of a running node as an OK/WARN/FAIL line with the fix.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { LIVE_CHECKS, runLiveChecks, type LiveFacts } from "../../../src/core/live/live-checks.ts";
import type { NodeFacts } from "../../../src/core/live/tailscale-status.ts";
import type { RecordedStatus } from "../../../src/core/supervise/state/status-file.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

const NOW = 1_700_000_000_000;

function configOf(env: Record<string, string>) {
  const load = loadConfig(env, createFakeFiles({}));
  if (!load.ok) throw new Error("invalid test configuration");
  return load.config;
}

const NODE: NodeFacts = { backendState: "Running", ips: ["100.64.0.1", "fd7a:115c:a1e0::1"], dnsName: "router.example.test", granted: ["100.64.0.1/32", "192.168.88.0/24"], relay: "hs", exitNode: undefined, peers: [{ name: "a", online: true, direct: true }, { name: "b", online: true, direct: false }, { name: "c", online: false, direct: false }], health: [] };
const STATUS: RecordedStatus = { supervisorPid: 1, state: "Running", sinceMs: NOW - 60_000, runningSinceMs: NOW - 60_000, startedAtMs: NOW - 65_000, restarts: 0, lastControlContactMs: NOW - 12_000, tailscaledVersion: "v1.102.3", health: [] };

function facts(patch: { env?: Record<string, string>; node?: Partial<NodeFacts> | { error: string }; status?: Partial<RecordedStatus> | null; netcheck?: LiveFacts["netcheck"] } = {}): LiveFacts {
  const node = patch.node !== undefined && "error" in patch.node ? { error: patch.node.error } : { ...NODE, ...(patch.node ?? {}) };
  return { nowMs: NOW, config: configOf({ TS_ROUTES: "192.168.88.0/24", TS_LOGIN_SERVER: "http://hs.example.test", ...patch.env }), status: patch.status === null ? undefined : { ...STATUS, ...(patch.status ?? {}) }, node, netcheck: patch.netcheck ?? { udp: true, preferredDerp: 900, latencyMs: 3.21 } };
}

const line = (result: ReturnType<typeof runLiveChecks>, id: string) => result.filter((check) => check.id === id).map((check) => `${check.status} ${check.what}${check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`);

describe("the live checks", () => {
  it("a healthy Running subnet router", () => {
    const result = runLiveChecks(facts());
    expect(result.map((check) => `${check.status.toUpperCase().padEnd(4)} ${check.id}: ${check.what}`)).toEqual([
      "OK   state: Running for 1m",
      "OK   addresses: 100.64.0.1, fd7a:115c:a1e0::1 (router.example.test)",
      "OK   routes: advertised and approved: 192.168.88.0/24",
      "OK   exit-node: neither offered nor used",
      "OK   derp: home relay hs, region 900 (3.2 ms)",
      "OK   udp: UDP works: direct connections are possible",
      "OK   peers: 2 of 3 online, 1 direct",
      "OK   control: in contact, last answer 12s ago",
      "OK   tailscaled-health: no warnings",
      "OK   supervisor: up 1m5s; tailscaled restarted 0 times; tailscaled v1.102.3",
    ]);
    expect(result.length).toBeGreaterThanOrEqual(LIVE_CHECKS.length);
  });

  it.each<[string, Parameters<typeof facts>[0], string, string[]]>([
    ["routes not approved", { node: { granted: [] } }, "routes", ["warn advertised, not approved: 192.168.88.0/24 (as this node last heard: a self-hosted control server such as Headscale 0.29 tells a node of an approval only when it reconnects: headscale nodes list-routes shows it) -- fix: headscale nodes approve-routes --identifier NODE_ID --routes ..."]],
    ["routes not approved (Tailscale's service)", { env: { TS_LOGIN_SERVER: "" }, node: { granted: [] } }, "routes", ["warn advertised, not approved: 192.168.88.0/24 -- fix: approve in the admin console (Machines > Edit route settings)"]],
    ["no routes", { env: { TS_ROUTES: "" } }, "routes", ["ok none advertised"]],
    ["logged out", { node: { backendState: "NeedsLogin" } }, "state", ["fail NeedsLogin: logged out -- fix: open the login URL in the log, or set TS_AUTHKEY"]],
    ["tailscaled not answering", { node: { error: "tailscale status did not finish within 30s and was ended" } }, "state", ["fail no answer from tailscaled: tailscale status did not finish within 30s and was ended -- fix: the log says why (`qjs /supervisor.mjs logs` has all of it)"]],
    ["exit node offered, not approved", { env: { TS_EXTRA_ARGS: "--advertise-exit-node" } }, "exit-node", ["warn offered, not approved (0.0.0.0/0, ::/0) -- fix: headscale nodes approve-routes --identifier NODE_ID --routes ..."]],
    ["exit node offered and approved", { env: { TS_EXTRA_ARGS: "--advertise-exit-node" }, node: { granted: ["0.0.0.0/0", "::/0", "192.168.88.0/24"] } }, "exit-node", ["ok offered and approved"]],
    ["using an offline exit node", { node: { exitNode: { ips: ["100.64.0.9"], online: false } } }, "exit-node", ["fail using exit node 100.64.0.9, offline: no internet traffic passes -- fix: bring it back, or remove --exit-node"]],
    ["UDP blocked", { netcheck: { udp: false, preferredDerp: 900, latencyMs: 20 } }, "udp", ["warn UDP blocked: peers only through a relay (slower) -- fix: allow UDP out; for connections in, forward UDP 41641 to the container"]],
    ["no relay at all", { node: { relay: "" }, netcheck: { udp: false, preferredDerp: 0, latencyMs: undefined } }, "derp", ["warn no DERP relay reachable: peers without a direct path are not either -- fix: allow TCP 443 and UDP 3478 out to the relays"]],
    ["netcheck failed", { netcheck: { error: "tailscale netcheck did not finish within 20s and was ended" } }, "udp", ["warn netcheck did not answer: tailscale netcheck did not finish within 20s and was ended"]],
    ["no peer online", { node: { peers: [{ name: "a", online: false, direct: false }] } }, "peers", ["warn 0 of 1 online, 0 direct"]],
    ["control server away", { status: { controlTrouble: { troubleClass: "dns", message: "no such host", sinceMs: NOW - 125_000 } } }, "control", ["warn unreachable for 2m5s (dns): no such host; tunnels stay up -- fix: the supervisor's warning in the log has the fix"]],
    ["no map response for a while", { status: { health: [{ warnable: "mapresponse-timeout", message: "Tailscale hasn't received a network map from the coordination server in 2m10s.", sinceMs: NOW }] } }, "control", ["warn Tailscale hasn't received a network map from the coordination server in 2m10s."]],
    ["a warning that stops traffic", { node: { health: ["setting up netfilter: exit status 1"] }, status: { health: [{ warnable: "router", message: "setting up netfilter: exit status 1", sinceMs: NOW }] } }, "tailscaled-health", ["fail setting up netfilter: exit status 1"]],
    ["a warning that does not", { node: { health: ["Tailscale could not connect to the 'hs' relay server."] } }, "tailscaled-health", ["warn Tailscale could not connect to the 'hs' relay server."]],
    ["restarts", { status: { restarts: 2 } }, "supervisor", ["warn up 1m5s; tailscaled restarted 2 times; tailscaled v1.102.3 -- fix: the log says why (`qjs /supervisor.mjs logs` has all of it)"]],
    ["not started by the supervisor", { status: null }, "supervisor", ["warn no status recorded (tailscaled not started by the supervisor?)"]],
  ])("%s", (_name, patch, id, expected) => {
    expect(line(runLiveChecks(facts(patch)), id)).toEqual(expected);
  });
});
