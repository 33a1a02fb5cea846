// On the fake host: TS_LAN_MASQUERADE's chain and the return routes' policy rules are put in place at
// Running, and removed at the stop only once tailscaled has exited (its own cleanup first).
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { daemonRuns, LINES_TO_RUNNING, LOGGED_IN_STATE, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

const EXECUTABLE = { kind: "file" as const, mode: 0o755 };
const IPTABLES = Object.fromEntries(["iptables-legacy", "ip6tables-legacy", "iptables-nft", "ip6tables-nft"].map((name) => [`/usr/sbin/${name}`, EXECUTABLE]));

describe("the LAN rules over the supervisor's life", () => {
  it("at Running: the chain (-C, then made) and the rule; at the stop, after tailscaled exited: removed; exit 0", async () => {
    const { host, outcome } = startSupervisor(
      { PATH: "/usr/local/bin:/usr/bin:/bin:/usr/sbin", TS_ROUTES: "192.168.88.0/24", TS_LAN_MASQUERADE: "true" },
      // No jump yet: -C fails; `ip -4 rule show` lists nothing of ours.
      { tailscaled: () => ({ lines: LINES_TO_RUNNING }), others: (argv) => (argv.includes("-C") ? { runMs: 1, exit: { kind: "exited", code: 1 } } : undefined) },
      { ...LOGGED_IN_STATE, ...IPTABLES },
    );
    await runFor(host, 1500);
    const commands = () => host.spawned.map((process) => process.argv.join(" "));
    expect(commands()).toEqual(expect.arrayContaining(["iptables-legacy -w 5 -t nat -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ", "ip6tables-legacy -w 5 -t nat -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ", "ip -4 rule add to 192.168.88.0/24 table main priority 5260"]));
    expect(host.stderr()).toMatch(/INFO supervisor: tailscale is running .* masquerade="on \(IPv4, IPv6; legacy\)"/);
    const before = host.spawned.length;
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    const atStop = host.spawned.slice(before);
    const removals = atStop.filter((process) => process.argv.includes("-X") || process.argv.includes("del") || process.argv.includes("-D"));
    expect(removals.map((process) => process.argv.join(" "))).toEqual(expect.arrayContaining(["iptables-legacy -w 2 -t nat -X TS-SUPERVISOR-MASQ", "ip6tables-legacy -w 2 -t nat -X TS-SUPERVISOR-MASQ"]));
    const tailscaledExit = daemonRuns(host)[0]?.exitedAtMs ?? Infinity;
    expect(removals.every((process) => process.startedAtMs >= tailscaledExit)).toBe(true);
  });
});
