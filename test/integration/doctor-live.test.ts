// `doctor`'s live section and `health` against a REAL Running node (the committed bundle under the real
// qjs as PID 1, the real tailscaled v1.102.3 in kernel TUN mode, a real Headscale v0.29.2, in a network
// namespace of the test's own), run inside the "container" as from /container/shell: routes not yet
// approved, then approved (at the next start), then the control server gone.
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { realBinaries, type Headscale } from "../lab/headscale.ts";
import { useHeadscaleNetwork, type HeadscaleNetwork } from "../support/headscale-network.ts";
import { startSupervisorInNamespace, type SupervisorRun } from "../support/pid1.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

const binDir = dirname(realBinaries().tailscaled);
let headscale: Headscale;
let network: HeadscaleNetwork["network"];
useHeadscaleNetwork("ts-live", (made) => ({ headscale, network } = made));

const env = (): Record<string, string> => ({ TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGIN_SERVER: headscale.url, TS_USERSPACE: "false", TS_PORT: "0", TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "192.0.2.1", TS_HOSTNAME: "live-node" });

/** A supervisor command inside the container (its mount, PID and network namespaces), with the container's environment. */
async function inContainer(run: SupervisorRun, pid: number, args: readonly string[]) {
  return execa("nsenter", [`--target=${pid}`, "--mount", "--pid", "--net", findQjs(), BUNDLE, ...args], { reject: false, env: { PATH: `${binDir}:/usr/sbin:/usr/bin:/sbin:/bin`, TS_SOCKET: `${run.dir}/tailscaled.sock`, TS_STATE_DIR: `${run.dir}/state`, ...env() }, extendEnv: false });
}

describe("doctor's live section and health against a real Running node", () => {
  it("routes unapproved, then approved (seen at the next start: Headscale 0.29 tells a node no sooner); the control server gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "live-"));
    const envWithKey = { ...env(), TS_AUTHKEY: await headscale.createKey() };
    const first = startSupervisorInNamespace(envWithKey, { binDir, dir, netns: network.name });
    try {
      await first.waitFor(/INFO supervisor: tailscale is running /, 60_000);
      const pid = await first.supervisorPid();
      const unapproved = await inContainer(first, pid, ["doctor"]);
      expect(unapproved.stdout).toContain("live: the running node (tailscale status --json, tailscale netcheck, the supervisor's record):");
      expect(unapproved.stdout).toMatch(/^OK {3}state: Running for \d+s$/m);
      expect(unapproved.stdout).toMatch(/^OK {3}addresses: 100\.64\.\d+\.\d+, fd7a:115c:a1e0::[0-9a-f]+ \(live-node\.[a-z.]+\)$/m);
      expect(unapproved.stdout).toMatch(/^WARN routes: advertised, not approved: 192\.168\.88\.0\/24 \(as this node last heard: .*\) -- fix: headscale nodes approve-routes --identifier NODE_ID --routes \.\.\.$/m);
      expect(unapproved.stdout).toMatch(/^OK {3}exit-node: neither offered nor used$/m);
      expect(unapproved.stdout).toMatch(/^(OK {3}|WARN )derp: /m);
      expect(unapproved.stdout).toMatch(/^(OK {3}|WARN )udp: /m);
      expect(unapproved.stdout).toMatch(/^OK {3}peers: /m);
      expect(unapproved.stdout).toMatch(/^OK {3}control: in contact, last answer \d+s ago$/m);
      expect(unapproved.stdout).toMatch(/^OK {3}supervisor: up \d+s; tailscaled restarted 0 times/m);
      expect(unapproved.exitCode).toBe(0);
      // A self-hosted server's node may not know of an approval: healthy, and --explain says so.
      expect((await inContainer(first, pid, ["health"])).exitCode).toBe(0);
      expect((await inContainer(first, pid, ["health", "--explain"])).stdout).toMatch(/^OK {3}routes: 192\.168\.88\.0\/24 not approved when the node last heard \(/m);
      const node = (await headscale.listNodes()).find((candidate) => candidate.name === "live-node");
      await headscale.approveRoutes(node?.id ?? "", ["192.168.88.0/24"]);
      await first.signal("SIGTERM");
      expect((await first.exit()).exitCode).toBe(0);
    } finally {
      await first.signal("SIGTERM").catch(() => undefined);
      await first.exit();
    }

    const second = startSupervisorInNamespace(envWithKey, { binDir, dir, netns: network.name });
    try {
      await second.waitFor(/INFO supervisor: tailscale is running .*approved=192\.168\.88\.0\/24/, 60_000);
      const pid = await second.supervisorPid();
      const approved = await inContainer(second, pid, ["doctor", "--json"]);
      const document = JSON.parse(approved.stdout) as { live: { running: boolean; checks: Array<{ id: string; status: string; what: string }>; facts: { node: { backendState: string } } } };
      expect(document.live.running).toBe(true);
      expect(document.live.facts.node.backendState).toBe("Running");
      expect(document.live.checks.find((check) => check.id === "routes")).toEqual({ id: "routes", status: "ok", what: "advertised and approved: 192.168.88.0/24" });
      expect((await inContainer(second, pid, ["health", "--explain"])).stdout).toMatch(/^OK {3}routes: approved: 192\.168\.88\.0\/24$/m);

      await headscale.stop();
      await second.waitFor(/WARN supervisor: control server .* class=/, 60_000);
      const gone = await inContainer(second, pid, ["doctor"]);
      expect(gone.stdout).toMatch(/^WARN control: unreachable for \d+s \([a-z-]+\): .*; tunnels stay up -- fix: /m);
      expect(gone.stdout).toMatch(/^OK {3}state: Running/m);
      // A Running node without its server keeps its tunnels: healthy within the hour's grace.
      expect((await inContainer(second, pid, ["health"])).exitCode).toBe(0);
      expect((await inContainer(second, pid, ["health", "--explain"])).stdout).toMatch(/^OK {3}control: [a-z-]+ for \d+s: /m);
      await headscale.start();
      await second.signal("SIGTERM");
      expect((await second.exit()).exitCode).toBe(0);
    } finally {
      await second.signal("SIGTERM").catch(() => undefined);
      await second.exit();
    }
  }, 240_000);
});
