// The arm64 and armv7 images as containers under qemu-user (binfmt registered by
// test/setup/qemu-binfmt.sh for the duration, removed after): the same RouterOS archives a router
// imports. iptables does NOT work under qemu-user (legacy: "Table does not exist", nft: "Protocol not
// supported"; ../shared/facts/image.md), so there the expected plan is the fallback: no firewall
// backend, netfilter off (standard); tiny, which has no nft, sees what it sees on a kernel with only
// nf_tables (legacy cannot make a chain) and says to take standard. The firewall is tested on amd64
// (amd64-container.test.ts).
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopology, type Topology } from "../lab/topology.ts";
import { IMAGE_TAILSCALE_VERSION, loadImage, runOnce, startContainer, uniqueName, type Arch, type Container, type Variant } from "../lab/podman.ts";
import { ROOT } from "../support/qjs.ts";

const BINFMT = `${ROOT}test/setup/qemu-binfmt.sh`;
const binfmtUser = `vitest-${process.pid}`;
const CASES: ReadonlyArray<{ arch: Arch; variant: Variant }> = [
  { arch: "arm64", variant: "tiny" },
  { arch: "arm64", variant: "standard" },
  { arch: "armv7", variant: "tiny" },
  { arch: "armv7", variant: "standard" },
];

let topology: Topology;
beforeAll(async () => {
  await execa("bash", [BINFMT, "acquire", binfmtUser], { env: { QEMU_BINFMT_PID: String(process.pid) } });
  topology = await createTopology(`tq${process.pid % 100000}`);
}, 120_000);
afterAll(async () => {
  await topology?.remove();
  await execa("bash", [BINFMT, "release", binfmtUser], { reject: false });
}, 120_000);

describe.each(CASES)("$variant $arch image under qemu-user", ({ arch, variant }) => {
  let image: string;
  beforeAll(async () => {
    image = await loadImage(variant, arch);
  }, 300_000);

  it("config, doctor --json (the fallback plan: iptables cannot work under qemu-user), tailscale version", async () => {
    const config = await runOnce({ image, arch, args: ["config"] });
    expect(config.exitCode).toBe(0);
    expect(config.stdout).toContain("TS_STATE_DIR");

    const doctor = await runOnce({ image, arch, args: ["doctor", "--json"] }, 180_000);
    const doc = JSON.parse(doctor.stdout) as { plan: { userspace: boolean; netfilterMode?: string }; checks: Array<{ id: string; status: string; what: string; fix?: string }> };
    const firewall = doc.checks.find((check) => check.id === "firewall");
    if (variant === "standard") {
      expect(firewall?.status).toBe("warn");
      expect(doc.plan.netfilterMode).toBe("off");
    } else {
      expect(firewall).toMatchObject({ status: "fail", fix: "use the standard image (it has iptables-nft), or set TS_NETFILTER_MODE=off to run without firewall rules" });
      expect(doctor.exitCode).toBe(1);
    }

    // The image's programs are the foreign architecture's (the kernel, and so /proc, stays x86_64).
    const machine = await runOnce({ image, arch, entrypoint: "/bin/uname", args: ["-m"] });
    expect(machine.stdout.trim()).toBe(arch === "arm64" ? "aarch64" : "armv7l");

    const version = await runOnce({ image, arch, args: ["version"] });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.split("\n")[0]).toBe(IMAGE_TAILSCALE_VERSION);
  }, 400_000);

  it("boots to Running in userspace mode against Headscale", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "ts-emulated-state-"));
    let container: Container | undefined;
    try {
      const key = await topology.headscale.createKey();
      container = await startContainer(
        { image, arch, netns: topology.ns.container, stateDir, env: { TS_AUTHKEY: key, TS_LOGIN_SERVER: topology.headscale.url, TS_USERSPACE: "true", TS_HOSTNAME: `${variant}-${arch}`, TS_BOOT_TIMEOUT: "240" } },
        uniqueName(`emu-${variant}-${arch}`),
      );
      const logs = await container.waitForLog(/INFO supervisor: tailscale is running ips=100\.64\./, 300_000);
      expect(logs).toContain("userspace");
      expect(logs).not.toContain(key.slice(-24));
      const stopped = await container.stop(20);
      expect(stopped.exitCode).toBe(0);
    } finally {
      await container?.remove();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 400_000);
});
