// The committed bundle under the real qjs: with advertised routes and forwarding
// that cannot be turned on (a read-only /proc/sys), the Running line says no subnet traffic can pass.
import { describe, expect, it } from "vitest";
import { startSupervisorInNamespace } from "../support/pid1.ts";

// A new network namespace inherits the host's IPv4 settings: set what the test depends on first.
const FORWARDING_OFF = "echo 0 >/proc/sys/net/ipv4/ip_forward && echo 0 >/proc/sys/net/ipv6/conf/all/forwarding";

describe("the Running line", () => {
  it("read-only /proc/sys, ip_forward=0, routes advertised: says no subnet traffic can pass, with the host-side fix", async () => {
    const run = startSupervisorInNamespace({ TS_ROUTES: "192.168.88.0/24" }, { setup: `${FORWARDING_OFF} && mount -o bind,ro /proc/sys /proc/sys` });
    await run.waitFor(/tailscale is running/);
    expect(run.output()).toMatch(/WARN supervisor: tailscale is running, but no subnet traffic can pass ips=\S+ .*routes=192\.168\.88\.0\/24 .*forwarding="net\.ipv4\.ip_forward is 0 and \/proc\/sys is read-only" fix="[^"]*--sysctl net\.ipv4\.ip_forward=1/);
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
  }, 30_000);

  it("writable /proc/sys: forwarding is turned on, and the line is the usual one", async () => {
    const run = startSupervisorInNamespace({ TS_ROUTES: "192.168.88.0/24" }, { setup: FORWARDING_OFF });
    await run.waitFor(/tailscale is running/);
    expect(run.output()).toMatch(/INFO supervisor: tailscale is running ips=/);
    expect(run.output()).not.toContain("no subnet traffic");
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
  }, 30_000);
});
