// Issue 18 item 1 with real images: the standard image refuses a flag whose feature its tailscaled
// lacks (exit 78, the feature and the build named), and an image built with the feature
// (`docker/build.sh --features +ssh`, which the test command builds into dist/features/) accepts
// it and it works: the tailnet client of the RouterOS-like topology runs a command over Tailscale SSH
// on the node, against Headscale, with a policy that allows it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopology, type Topology } from "../lab/topology.ts";
import { DIST, loadArchive, loadImage, runOnce, uniqueName, type Container } from "../lab/podman.ts";
import { routerEnv, startRouter } from "../lab/router.ts";

/** Where the test command builds the image with ssh (test/run.sh). */
const SSH_ARCHIVE = join(DIST, "features", "routeros", "tailscale-standard-ssh-amd64.tar");
const RUNNING = /INFO supervisor: tailscale is running /;
// Headscale's policy: everyone may reach everyone, and user test may SSH as root to its own nodes.
const SSH_POLICY = JSON.stringify({
  acls: [{ action: "accept", src: ["*"], dst: ["*:*"] }],
  ssh: [{ action: "accept", src: ["test@"], dst: ["test@"], users: ["root"] }],
});

describe("the standard image's feature set", () => {
  it("refuses --ssh and --socks5-server: exit 78, naming the feature and the build that has it", async () => {
    const image = await loadImage("standard", "amd64");
    const ssh = await runOnce({ image, args: ["config"], env: { TS_EXTRA_ARGS: "--ssh" } });
    expect(ssh.exitCode).toBe(78);
    expect(ssh.stderr).toContain('problem="--ssh needs Tailscale\'s \\"ssh\\" feature, which /usr/local/bin/tailscaled was built without');
    expect(ssh.stderr).toContain("npm run image -- --features +ssh");
    const socks = await runOnce({ image, args: ["config"], env: { TS_TAILSCALED_EXTRA_ARGS: "--socks5-server=localhost:1080" } });
    expect(socks.exitCode).toBe(78);
    expect(socks.stderr).toContain('\\"outboundproxy\\" feature');
  }, 180_000);
});

describe("an image built with --features +ssh", () => {
  let image: string;
  let topology: Topology;
  let stateDir: string;
  let container: Container | undefined;
  beforeAll(async () => {
    image = await loadArchive(SSH_ARCHIVE);
    topology = await createTopology(`tf${process.pid % 100000}`, { headscalePolicy: SSH_POLICY });
    stateDir = mkdtempSync(join(tmpdir(), "ts-image-ssh-"));
  }, 300_000);
  afterAll(async () => {
    await container?.remove();
    await topology?.remove();
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it("accepts --ssh, and the tailnet client runs a command on the node over Tailscale SSH", async () => {
    expect((await runOnce({ image, args: ["config"], env: { TS_EXTRA_ARGS: "--ssh" } })).exitCode).toBe(0);
    const hostname = "router-ssh";
    const env = { ...routerEnv(topology, { key: await topology.headscale.createKey(), hostname }), TS_EXTRA_ARGS: "--ssh" };
    container = await startRouter(topology, { image, stateDir, env, name: uniqueName("img-ssh") });
    const running = await container.waitForLog(RUNNING, 90_000);
    const nodeIp = /ips=(100\.[0-9.]+)/.exec(running)?.[1] ?? "";
    expect(nodeIp).toMatch(/^100\./);
    await topology.startClient();
    // A direct path takes ~10 s after the login; the SSH policy reaches the node with its netmap.
    const ssh = ["ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", `root@${nodeIp}`, "echo ssh-ok-$((6*7))"];
    let last = "";
    const deadline = Date.now() + 60_000;
    for (;;) {
      const result = await topology.exec("client", ssh, { timeoutMs: 20_000 });
      last = `${result.stdout}\n${result.stderr}`;
      if (result.stdout.includes("ssh-ok-42")) break;
      if (Date.now() > deadline) throw new Error(`no answer over Tailscale SSH within 60 s:\n${last}\n${await container.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(last).toContain("ssh-ok-42");
  }, 300_000);
});
