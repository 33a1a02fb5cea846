// `doctor`'s live section and `health` against a REAL Running node (the committed bundle under the real
// qjs as PID 1, the real tailscaled v1.102.3 in kernel TUN mode, a real Headscale v0.29.2, in a network
// namespace of the test's own), run inside the "container" as from /container/shell: routes not yet
// approved, then approved, then the control server gone.
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNetwork, realBinaries, startHeadscale, type Headscale } from "../lab/headscale.ts";
import { startSupervisorInNamespace, type SupervisorRun } from "../support/pid1.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

const binDir = dirname(realBinaries().tailscaled);
let headscale: Headscale;
let network: Awaited<ReturnType<typeof createTestNetwork>>;

beforeAll(async () => {
  network = await createTestNetwork(`ts-live-${process.pid}`);
  headscale = await startHeadscale(network.name);
}, 60_000);

afterAll(async () => {
  await headscale?.start();
  await headscale?.stop();
  await network?.remove();
});

const env = (): Record<string, string> => ({ TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGIN_SERVER: headscale.url, TS_USERSPACE: "false", TS_PORT: "0", TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "192.0.2.1", TS_HOSTNAME: "live-node" });

/** A supervisor command inside the container (its mount, PID and network namespaces), with the container's environment. */
async function inContainer(run: SupervisorRun, pid: number, args: readonly string[]) {
  return execa("nsenter", [`--target=${pid}`, "--mount", "--pid", "--net", findQjs(), BUNDLE, ...args], { reject: false, env: { PATH: `${binDir}:/usr/sbin:/usr/bin:/sbin:/bin`, TS_SOCKET: `${run.dir}/tailscaled.sock`, TS_STATE_DIR: `${run.dir}/state`, ...env() }, extendEnv: false });
}

describe("doctor's live section and health against a real Running node", () => {
  it("routes unapproved, then approved; the control server gone", async () => {
    const run = startSupervisorInNamespace({ ...env(), TS_AUTHKEY: await headscale.createKey() }, { binDir, dir: mkdtempSync(join(tmpdir(), "live-")), netns: network.name });
    try {
      await run.waitFor(/INFO supervisor: tailscale is running /, 60_000);
      const pid = await run.supervisorPid();

      const unapproved = await inContainer(run, pid, ["doctor"]);
      expect(unapproved.stdout).toContain("live: the running node (tailscale status --json, tailscale netcheck, the supervisor's record):");
      expect(unapproved.stdout).toMatch(/^OK {3}state: Running for \d+s$/m);
      expect(unapproved.stdout).toMatch(/^OK {3}addresses: 100\.64\.\d+\.\d+, fd7a:115c:a1e0::[0-9a-f]+ \(live-node\.[a-z.]+\)$/m);
      expect(unapproved.stdout).toContain("WARN routes: advertised, not approved: 192.168.88.0/24 -- fix: headscale nodes approve-routes --identifier NODE_ID --routes ...");
      expect(unapproved.stdout).toMatch(/^OK {3}exit-node: neither offered nor used$/m);
      expect(unapproved.stdout).toMatch(/^(OK {3}|WARN )derp: /m);
      expect(unapproved.stdout).toMatch(/^(OK {3}|WARN )udp: /m);
      expect(unapproved.stdout).toMatch(/^OK {3}peers: /m);
      expect(unapproved.stdout).toMatch(/^OK {3}control: in contact, last answer \d+s ago$/m);
      expect(unapproved.stdout).toMatch(/^OK {3}supervisor: up \d+s; tailscaled restarted 0 times/m);
      // Within the approval's grace: healthy, and --explain says what waits.
      expect((await inContainer(run, pid, ["health"])).exitCode).toBe(0);
      expect((await inContainer(run, pid, ["health", "--explain"])).stdout).toMatch(/^OK {3}routes: 192\.168\.88\.0\/24 advertised, not approved yet$/m);

      const node = (await headscale.listNodes()).find((candidate) => candidate.name === "live-node");
      await headscale.approveRoutes(node?.id ?? "", ["192.168.88.0/24"]);
      // The new network map reaches tailscaled within seconds.
      type Document = { live: { running: boolean; checks: Array<{ id: string; status: string; what: string }>; facts: { node: { backendState: string } } } };
      let document: Document | undefined;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        document = JSON.parse((await inContainer(run, pid, ["doctor", "--json"])).stdout) as Document;
        if (document.live.checks.some((check) => check.id === "routes" && check.status === "ok")) break;
      }
      if (document === undefined) throw new Error("no doctor --json");
      expect(document.live.running).toBe(true);
      expect(document.live.facts.node.backendState).toBe("Running");
      expect(document.live.checks.find((check) => check.id === "routes")).toEqual({ id: "routes", status: "ok", what: "advertised and approved: 192.168.88.0/24" });
      // The supervisor notices the approval by itself (it asks again while routes wait).
      await run.waitFor(/INFO supervisor: advertised routes approved routes=192\.168\.88\.0\/24/, 60_000);

      await headscale.stop();
      await run.waitFor(/WARN supervisor: control server .* class=/, 60_000);
      const gone = await inContainer(run, pid, ["doctor"]);
      expect(gone.stdout).toMatch(/^WARN control: unreachable for \d+s \([a-z-]+\): .*; tunnels stay up -- fix: /m);
      expect(gone.stdout).toMatch(/^OK {3}state: Running/m);
      // A Running node without its server keeps its tunnels: healthy within the hour's grace.
      expect((await inContainer(run, pid, ["health"])).exitCode).toBe(0);
      expect((await inContainer(run, pid, ["health", "--explain"])).stdout).toMatch(/^OK {3}control: [a-z-]+ for \d+s: /m);
      await headscale.start();

      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    } finally {
      await run.signal("SIGTERM").catch(() => undefined);
      await run.exit();
    }
  }, 240_000);
});
