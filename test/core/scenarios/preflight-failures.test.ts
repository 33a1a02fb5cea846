// A failed preflight check ends supervision in its own failure class (diagnostics header and fix),
// not in a catch-all: the class tells the user where to look.
import { describe, expect, it } from "vitest";
import { daemonRuns, LINES_TO_RUNNING, startSupervisor } from "../../fakes/supervise-fixture.ts";

describe("supervision stops on a failed check, in the check's class", () => {
  const NO_MKNOD = "CapEff:\t000001fff7ffffff\n";
  it.each([
    ["tun", { TS_USERSPACE: "false" }, { "/dev/net/tun": null, "/proc/self/status": NO_MKNOD }, "cause: /dev/net/tun is missing"],
    ["firewall", { TS_NETFILTER_MODE: "on" }, {}, "cause: "],
    ["forwarding", { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" }, {}, "cause: gateway 172.17.0.1 is not on a connected subnet"],
  ])("%s", async (failureClass, env, files, cause) => {
    const { host, outcome } = startSupervisor(env, { tailscaled: () => ({ lines: LINES_TO_RUNNING }) }, files);
    expect((await host.drive(outcome)).exitCode).toBe(1);
    expect(host.stderr()).toContain(`=== tailscale supervisor failure: ${failureClass} ===`);
    expect(host.stderr()).toContain(cause);
    expect(daemonRuns(host)).toEqual([]);
  });
});
