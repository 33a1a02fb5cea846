// The amd64 image as a real container (podman + runc), loaded from the RouterOS archive the build
// wrote, in a RouterOS-like network (test/support/topology.ts) with a real Headscale: both variants.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopology, TOPOLOGY, type TailnetClient, type Topology } from "../support/topology.ts";
import { loadImage, runOnce, startContainer, uniqueName, podman, type Container, type Variant } from "../support/podman.ts";

const VARIANTS: readonly Variant[] = ["tiny", "standard"];
const ROUTE = TOPOLOGY.lanSubnet;

describe.each(VARIANTS)("%s amd64 image as a container", (variant) => {
  let image: string;
  beforeAll(async () => {
    image = await loadImage(variant, "amd64");
  }, 300_000);

  it("config, doctor --json, version, status passthrough and health (1 before Running)", async () => {
    const config = await runOnce({ image, args: ["config"], env: { TS_ROUTES: "192.168.88.0/24" } });
    expect(config.exitCode).toBe(0);
    expect(config.stdout).toMatch(/^TS_ROUTES\s+192\.168\.88\.0\/24\s+from TS_ROUTES$/m);

    const doctor = await runOnce({ image, args: ["doctor", "--json"] });
    const doc = JSON.parse(doctor.stdout) as { canRun: boolean; plan: { userspace: boolean }; checks: Array<{ id: string; status: string; what: string }> };
    // In the container's own netns with NET_ADMIN and /dev/net/tun: kernel TUN and a firewall backend.
    expect(doc.plan.userspace).toBe(false);
    expect(doc.canRun).toBe(true);
    expect(doc.checks.find((check) => check.id === "firewall")?.what).toMatch(/legacy|nft/);
    expect(doctor.exitCode).toBe(0);

    const version = await runOnce({ image, args: ["version"] });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.split("\n")[0]).toBe("1.102.3");
    expect(version.stdout).not.toContain("ERR-BuildInfo");

    // No daemon in this container: tailscale's own error and exit code come through.
    const status = await runOnce({ image, args: ["status"] });
    expect(status.exitCode).not.toBe(0);
    expect(`${status.stdout}${status.stderr}`).toMatch(/failed to connect to local tailscale daemon/i);

    const health = await runOnce({ image, args: ["health"] });
    expect(health.exitCode).toBe(1);
  }, 180_000);

  describe("in a RouterOS-like network with Headscale", () => {
    let topology: Topology;
    let client: TailnetClient | undefined;
    let stateDir: string;
    const containers: Container[] = [];
    beforeAll(async () => {
      topology = await createTopology(`ti${variant.slice(0, 2)}${process.pid % 100000}`);
      stateDir = mkdtempSync(join(tmpdir(), "ts-image-state-"));
    }, 120_000);
    afterAll(async () => {
      for (const container of containers) await container.remove();
      await topology?.remove();
      rmSync(stateDir, { recursive: true, force: true });
    }, 120_000);

    const routerEnv = (key: string) => ({
      TS_AUTHKEY: key,
      TS_LOGIN_SERVER: topology.headscale.url,
      TS_ROUTES: ROUTE,
      TS_CONTAINER_GATEWAY: TOPOLOGY.containerGateway,
      TS_USERSPACE: "false",
      TS_HOSTNAME: `router-${variant}`,
    });

    it("boots to Running with kernel TUN, routes approved, traffic both ways through the subnet route; healthy; stops in 3 s leaving nothing; restarts without the key", async () => {
      const key = await topology.headscale.createKey();
      const container = await startContainer({ image, netns: topology.ns.container, stateDir, env: routerEnv(key) }, uniqueName(`img-${variant}`));
      containers.push(container);
      const running = await container.waitForLog(/INFO supervisor: tailscale is running .*routes=192\.168\.88\.0\/24/, 90_000);
      expect(running).toMatch(/mode="kernel TUN, firewall iptables"/);
      expect(running).not.toContain(key);
      expect(running).not.toContain(key.slice(-24));

      // The supervisor turned forwarding on and added the return route, in the container's netns.
      expect((await topology.exec("container", ["cat", "/proc/sys/net/ipv4/ip_forward"])).stdout.trim()).toBe("1");
      expect((await topology.exec("container", ["ip", "route", "show", ROUTE])).stdout).toContain(`via ${TOPOLOGY.containerGateway}`);
      expect((await topology.exec("container", ["ip", "-4", "addr", "show", "tailscale0"])).stdout).toMatch(/inet 100\.64\./);
      const backend = /firewall backend chosen backend=(legacy|nft)/.exec(running)?.[1] ?? "missing";
      expect((await topology.exec("container", [`iptables-${backend}`, "-S", "ts-forward"])).stdout).toContain("-N ts-forward");

      const node = (await topology.headscale.listNodes()).find((candidate) => candidate.name === `router-${variant}`);
      expect(node).toBeDefined();
      await topology.headscale.approveRoutes(node?.id ?? "", [ROUTE]);

      client = await topology.startClient();
      // The client sees the approved route, then reaches the LAN host through the container.
      await waitFor(async () => (await client?.cli(["status", "--json"]))?.stdout.includes(ROUTE) === true, 60_000, "client never saw the approved route");
      await waitFor(async () => (await topology.exec("client", ["busybox", "ping", "-c", "1", "-W", "2", TOPOLOGY.lanHost])).exitCode === 0, 60_000, "client → LAN host ping");
      const lanServer = startHttpd(topology, "lan", "lan-page", 8080);
      try {
        await waitFor(async () => (await httpGet(topology, "client", TOPOLOGY.lanHost, 8080)).includes("lan-page"), 30_000, "client → LAN host TCP");
        // And back: the LAN host reaches the client's tailnet address via the router's route to 100.64.0.0/10.
        const clientIp = client.ip;
        await waitFor(async () => (await topology.exec("lan", ["busybox", "ping", "-c", "1", "-W", "2", clientIp])).exitCode === 0, 30_000, "LAN host → client ping");
        const clientServer = startHttpd(topology, "client", "client-page", 8081);
        try {
          await waitFor(async () => (await httpGet(topology, "lan", clientIp, 8081)).includes("client-page"), 30_000, "LAN host → client TCP");
        } finally {
          await clientServer.stop();
        }
      } finally {
        await lanServer.stop();
      }

      // Docker-format HEALTHCHECK from the image config, run by podman.
      const health = await podman(["healthcheck", "run", container.name]);
      expect(health.exitCode).toBe(0);

      const stopped = await container.stop(10);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.ms).toBeLessThan(3000);
      expect((await topology.exec("container", ["ip", "link", "show", "tailscale0"])).stdout).toBe("");
      expect((await topology.exec("container", [`iptables-${backend}`, "-S", "ts-forward"])).stdout).toBe("");
      await container.remove();

      // Same state volume, the single-use key spent: Running again without using it.
      const again = await startContainer({ image, netns: topology.ns.container, stateDir, env: routerEnv(key) }, uniqueName(`img-${variant}`));
      containers.push(again);
      const rerun = await again.waitForLog(/INFO supervisor: tailscale is running/, 90_000);
      expect(rerun).not.toContain("command=login");
      expect(rerun).not.toMatch(/Received error|already used/);
      expect((await topology.headscale.listNodes()).filter((candidate) => candidate.name === `router-${variant}`)).toHaveLength(1);
      expect((await again.stop(10)).exitCode).toBe(0);
    }, 400_000);
  });
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * An HTTP GET over TCP with bash's /dev/tcp (Debian's static busybox wget crashes in glibc's
 * static resolver, even for an address).
 */
async function httpGet(topology: Topology, where: "lan" | "client", address: string, port: number): Promise<string> {
  const script = `exec 3<>/dev/tcp/${address}/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3`;
  return (await topology.exec(where, ["timeout", "10", "bash", "-c", script])).stdout;
}

/** busybox httpd in the foreground in a namespace, serving one page; stopped (by pid) by the caller. */
function startHttpd(topology: Topology, where: "lan" | "client", page: string, port: number): { stop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "ts-image-www-"));
  writeFileSync(join(dir, "index.html"), `${page}\n`);
  const server = topology.spawn(where, ["busybox", "httpd", "-f", "-p", String(port), "-h", dir]);
  return {
    async stop() {
      server.kill("SIGTERM");
      await server.done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
