// The committed bundle under the real qjs as PID 1, driving the REAL tailscaled v1.102.3 against a
// REAL Headscale v0.29.2, both in a network namespace of the test's own (userspace networking).
import { execa } from "execa";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { realBinaries, type Headscale } from "../lab/headscale.ts";
import { useHeadscaleNetwork, type HeadscaleNetwork } from "../support/headscale-network.ts";
import { pollFor, startSupervisorInNamespace } from "../support/pid1.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

let headscale: Headscale;
let network: HeadscaleNetwork["network"];
const binDir = dirname(realBinaries().tailscaled);
useHeadscaleNetwork("ts-e2e", (made) => ({ headscale, network } = made));

function boot(dir: string, env: Record<string, string>) {
  return startSupervisorInNamespace(
    // TS_NO_LOGS_NO_SUPPORT: tailscaled would otherwise try to reach log.tailscale.com.
    { TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGIN_SERVER: headscale.url, TS_USERSPACE: "true", TS_NETFILTER_MODE: "off", TS_PORT: "0", TS_BOOT_TIMEOUT: "60", ...env },
    { binDir, dir, netns: network.name },
  );
}

/** The pids of `pid`'s children. */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Every file under `dir` (outside the supervisor's tmpfs) that contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true && readFileSync(path).includes(needle));
}

describe("against real tailscaled and Headscale", () => {
  it("first boot logs in with the key once; a restart is logged in without using it; preference changes apply", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const key = await headscale.createKey();

    const first = boot(dir, { TS_AUTHKEY: key, TS_HOSTNAME: "e2e-one" });
    await first.waitFor(/INFO supervisor: tailscale is running ips=100\.64\.\d+\.\d+/, 60_000);
    // First login through the config file: no CLI call (a CLI login on a fresh node registers twice).
    expect(first.output()).not.toContain("command=login");
    await first.signal("SIGTERM");
    expect((await first.exit()).exitCode).toBe(0);
    expect(await headscale.listNodes()).toHaveLength(1);

    // The single-use key is spent now: it must not be sent again.
    const second = boot(dir, { TS_AUTHKEY: key, TS_HOSTNAME: "e2e-two" });
    await second.waitFor(/INFO supervisor: tailscale is running/, 60_000);
    const prefs = JSON.parse((await execa(join(binDir, "tailscale"), [`--socket=${dir}/tailscaled.sock`, "debug", "prefs"])).stdout) as { Hostname: string };
    expect(prefs.Hostname).toBe("e2e-two");
    await second.signal("SIGTERM");
    const stopped = await second.exit();
    expect(stopped.exitCode).toBe(0);
    expect(second.output()).not.toContain("command=login");
    expect(second.output()).not.toContain("Received error");
    expect(await headscale.listNodes()).toHaveLength(1);

    for (const output of [first.output(), second.output()]) expect(output).not.toContain(key);
    const secretPart = key.slice(-24);
    for (const output of [first.output(), second.output()]) expect(output).not.toContain(secretPart);
    expect(filesContaining(dir, secretPart)).toEqual([]);
  }, 180_000);

  it("once logged in, the key is retired: tailscaled's config file names it no more, its copy is gone; after a kill -9 of tailscaled it is Running again and sends no key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const key = await headscale.createKey();
    // TS_DEBUG_REGISTER (passed on to tailscaled): it prints each register request, the key included;
    // every line of tailscaled relayed (the log is quiet by default), to see what each request held.
    const run = boot(dir, { TS_AUTHKEY: key, TS_DEBUG_REGISTER: "true", TS_TAILSCALED_LOG: "all" });
    await run.waitFor(/INFO supervisor: tailscale is running/, 60_000);
    await run.waitFor(/key retired: the node is logged in/, 10_000);
    const pid = await run.supervisorPid();
    const runtime = `/proc/${pid}/root/run/tailscale-supervisor`;
    expect(JSON.parse(readFileSync(`${runtime}/tailscaled.json`, "utf8"))).not.toHaveProperty("AuthKey");
    expect(existsSync(`${runtime}/authkey`)).toBe(false);
    // The first login did send it (redacted here, as everywhere).
    expect(run.output()).toContain('"AuthKey": "[REDACTED]"');

    const daemon = await pollFor(() => childrenOf(pid).find((child) => readFileSync(`/proc/${child}/comm`, "utf8").trim() === "tailscaled"), 5000);
    process.kill(daemon, "SIGKILL");
    await run.waitFor(/WARN supervisor: tailscaled exited, restarting status="signal 9"/, 10_000);
    await pollFor(() => ((run.output().match(/INFO supervisor: tailscale is running/g) ?? []).length >= 2 ? true : undefined), 60_000, () => run.output());
    const afterRestart = run.output().slice(run.output().indexOf("generation=2"));
    expect(afterRestart).toContain("control: RegisterRequest: {");
    expect(afterRestart).not.toContain('"AuthKey"');
    expect(afterRestart).not.toContain("Received error");
    expect(JSON.parse(readFileSync(`${runtime}/tailscaled.json`, "utf8"))).not.toHaveProperty("AuthKey");
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    expect(run.output()).not.toContain(key.slice(-24));
  }, 180_000);

  it("a rejected key → exit 1 within seconds, with the auth class and the Headscale fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const startedAt = Date.now();
    const run = boot(dir, { TS_AUTHKEY: "hskey-auth-AAAAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" });
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(1);
    expect(atMs - startedAt).toBeLessThan(20_000);
    expect(run.output()).toContain("=== tailscale supervisor failure: auth ===");
    expect(run.output()).toMatch(/cause: the control server rejected the auth key \(invalid pre auth key\)/);
    expect(run.output()).toContain("headscale preauthkeys create");
    expect(run.output()).not.toContain("BBBBBBBBBBBBBBBB");
  }, 60_000);

  it("an expired key → exit 1 within seconds, named as expired", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const key = await headscale.createKey({ expiration: "1s" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const startedAt = Date.now();
    const run = boot(dir, { TS_AUTHKEY: key });
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(1);
    expect(atMs - startedAt).toBeLessThan(20_000);
    expect(run.output()).toContain("=== tailscale supervisor failure: auth ===");
    expect(run.output()).toContain("cause: the auth key has expired (authkey expired)");
    expect(run.output()).not.toContain(key.slice(-24));
  }, 60_000);

  it("an already used single-use key on a new node → exit 1 within seconds, named as used (not 'refused')", async () => {
    const key = await headscale.createKey();
    const first = boot(mkdtempSync(join(tmpdir(), "real-ts-")), { TS_AUTHKEY: key });
    await first.waitFor(/tailscale is running/, 60_000);
    await first.signal("SIGTERM");
    expect((await first.exit()).exitCode).toBe(0);
    const startedAt = Date.now();
    const run = boot(mkdtempSync(join(tmpdir(), "real-ts-")), { TS_AUTHKEY: key });
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(1);
    expect(atMs - startedAt).toBeLessThan(20_000);
    expect(run.output()).toContain("=== tailscale supervisor failure: auth ===");
    expect(run.output()).toContain("cause: the single-use auth key was already used (authkey already used)");
    expect(run.output()).not.toContain(key.slice(-24));
  }, 120_000);

  it("health answers from the recorded state: 0 while Running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const key = await headscale.createKey();
    const run = boot(dir, { TS_AUTHKEY: key });
    await run.waitFor(/tailscale is running/, 60_000);
    const pid = await run.supervisorPid();
    // `health` runs inside the container: same mount namespace (its /run tmpfs), via nsenter.
    const health = await execa("nsenter", [`--target=${pid}`, "--mount", "--pid", findQjs(), BUNDLE, "health"], { reject: false });
    expect(health.exitCode).toBe(0);
    await run.signal("SIGTERM");
    await run.exit();
  }, 90_000);
});

/**
 * A PATH directory with the real tailscaled/tailscale and, for `routeros`, iptables-nft/ip6tables-nft
 * wrappers that fail as RouterOS's kernel (no nf_tables) does. SIMULATED: this kernel has nf_tables.
 */
function binDirFor(kernel: "debian" | "routeros"): string {
  if (kernel === "debian") return binDir;
  const dir = mkdtempSync(join(tmpdir(), "routeros-bin-"));
  for (const name of ["tailscaled", "tailscale"]) symlinkSync(join(binDir, name), join(dir, name));
  const fail = '#!/bin/sh\necho "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Invalid argument" >&2\nexit 4\n';
  for (const name of ["iptables-nft", "ip6tables-nft"]) writeFileSync(join(dir, name), fail, { mode: 0o755 });
  return dir;
}

describe("kernel TUN mode against real tailscaled and Headscale (the RouterOS setup)", () => {
  it.each(["debian", "routeros"] as const)("%s kernel: forwarding, return route, tailscale0 and its rules through the chosen backend; SIGTERM removes them", async (kernel) => {
    const dir = mkdtempSync(join(tmpdir(), "real-ts-"));
    const key = await headscale.createKey();
    const ns = network.name;
    const run = startSupervisorInNamespace(
      {
        TS_NO_LOGS_NO_SUPPORT: "true",
        TS_LOGIN_SERVER: headscale.url,
        TS_AUTHKEY: key,
        TS_USERSPACE: "false",
        TS_PORT: "0",
        TS_ROUTES: "192.168.88.0/24",
        TS_CONTAINER_GATEWAY: "192.0.2.1",
        TS_BOOT_TIMEOUT: "60",
      },
      { binDir: binDirFor(kernel), dir, netns: ns },
    );
    try {
      await checkKernelMode(run, ns, kernel, key);
    } catch (error) {
      // A failed check must not leave tailscaled holding tailscale0 for the next test.
      await run.signal("SIGTERM").catch(() => undefined);
      await run.exit();
      throw error;
    }
  }, 120_000);
});

/** The checks of one kernel-mode run; stops the supervisor itself on success. */
async function checkKernelMode(run: ReturnType<typeof startSupervisorInNamespace>, ns: string, kernel: "debian" | "routeros", key: string): Promise<void> {
  await run.waitFor(/INFO supervisor: tailscale is running .*routes=192\.168\.88\.0\/24 .*mode="kernel TUN, firewall iptables"/, 60_000);
  const inNs = async (...args: string[]) => (await execa("ip", ["netns", "exec", ns, ...args], { reject: false })).stdout;
  expect(await inNs("cat", "/proc/sys/net/ipv4/ip_forward")).toBe("1");
  expect(await inNs("ip", "route", "show", "192.168.88.0/24")).toContain("via 192.0.2.1");
  expect(await inNs("ip", "-4", "addr", "show", "tailscale0")).toMatch(/inet 100\.64\./);
  expect(await inNs("ip", "route", "show", "table", "52")).toContain("dev tailscale0");
  expect(run.output()).toContain("advertised routes are not approved yet");
  // tailscaled's chains, written through the backend preflight chose (the links on its PATH).
  const backend = /firewall backend chosen backend=(legacy|nft)/.exec(run.output())?.[1];
  expect(backend).toEqual(kernel === "routeros" ? "legacy" : expect.stringMatching(/^(legacy|nft)$/));
  expect(await inNs(`iptables-${backend}`, "-S", "ts-input")).toContain("-N ts-input");
  await run.signal("SIGTERM");
  expect((await run.exit()).exitCode).toBe(0);
  // tailscaled was stopped, not killed: it removed its device, routes and rules itself.
  expect(run.output()).toContain("tailscaled stopped killed=false");
  expect(await inNs("ip", "link", "show", "tailscale0")).toBe("");
  expect(await inNs("ip", "route", "show", "table", "52")).toBe("");
  expect(await inNs(`iptables-${backend}`, "-S", "ts-input")).toBe("");
  expect(run.output()).not.toContain(key.slice(-24));
}
