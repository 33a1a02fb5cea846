import { describe, expect, it } from "vitest";
import type { LanPlan } from "../../../src/core/lan/lan-plan.ts";
import { createLanRouting } from "../../../src/core/lan/lan-routing.ts";
import { createLogger } from "../../../src/core/log/logger.ts";
import { createFakeRunner, type FakeAnswer } from "../../fakes/fake-runner.ts";

const ON: LanPlan = { masquerade: { backend: "legacy", ipv6: true }, leftoverBackend: undefined, ruleSubnets: { 4: ["192.168.88.0/24"], 6: ["fd00:88::/64"] }, kernel: true };
const OFF: LanPlan = { masquerade: undefined, leftoverBackend: "legacy", ruleSubnets: { 4: ["192.168.88.0/24"], 6: [] }, kernel: true };
const USERSPACE: LanPlan = { masquerade: undefined, leftoverBackend: undefined, ruleSubnets: { 4: [], 6: [] }, kernel: false };
const RULE4 = "5260:\tfrom all to 192.168.88.0/24 lookup main\n";
const RULE6 = "5260:\tfrom all to fd00:88::/64 lookup main\n";

function setUp(plan: LanPlan, answer: (command: string) => FakeAnswer | undefined, cleanupAnswer: (command: string) => FakeAnswer | undefined = answer) {
  const lines: string[] = [];
  const log = createLogger({ format: "plain", level: "debug", component: "lan", write: (line) => lines.push(line.trimEnd()), now: () => 0 });
  const commands = createFakeRunner(answer);
  const cleanup = createFakeRunner(cleanupAnswer);
  return { lan: createLanRouting(plan, commands, cleanup, log), commands, cleanup, lines };
}

/** No jump yet (-C fails), no rule yet (empty `ip rule show`). */
const FRESH = (command: string): FakeAnswer | undefined => (command.includes(" -C ") ? { code: 1 } : undefined);

describe("createLanRouting", () => {
  it("at Running: the chain for each family the node has an address of, a rule per subnet of each family", async () => {
    const { lan, commands } = setUp(ON, FRESH);
    expect(await lan.onRunning(["100.64.0.1", "fd7a:115c:a1e0::1"])).toEqual({ masquerade: "on (IPv4, IPv6; legacy)" });
    expect(commands.ran.filter((command) => command.includes(" -A POSTROUTING"))).toEqual(["iptables-legacy -w 5 -t nat -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ", "ip6tables-legacy -w 5 -t nat -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ"]);
    expect(commands.ran.filter((command) => command.startsWith("ip "))).toEqual(["ip -4 rule show", "ip -6 rule show", "ip -4 rule add to 192.168.88.0/24 table main priority 5260", "ip -6 rule add to fd00:88::/64 table main priority 5260"]);
  });

  it("an IPv4-only node: IPv4 only; ip6tables not working: IPv6 skipped and said; a failure: said on the line and warned", async () => {
    const v4only = setUp(ON, FRESH);
    expect(await v4only.lan.onRunning(["100.64.0.1"])).toEqual({ masquerade: "on (IPv4; legacy)" });
    expect(v4only.commands.ran.some((command) => command.startsWith("ip6tables"))).toBe(false);
    const noIp6tables = setUp({ ...ON, masquerade: { backend: "nft", ipv6: false } }, FRESH);
    expect(await noIp6tables.lan.onRunning(undefined)).toEqual({ masquerade: "on (IPv4, IPv6 skipped: ip6tables does not work; nft)" });
    const failing = setUp(ON, (command) => (command.startsWith("ip6tables") && command.includes("-j MASQUERADE") ? { code: 1, stderr: "can't initialize ip6tables table `nat'" } : FRESH(command)));
    expect(await failing.lan.onRunning([])).toEqual({ masquerade: "on (IPv4, IPv6 failed; legacy)" });
    expect(failing.lines).toEqual([expect.stringMatching(/^WARN lan: LAN masquerade could not be set family=IPv6 error="ip6tables-legacy -w 5 -t nat -A TS-SUPERVISOR-MASQ -j MASQUERADE: can't initialize ip6tables table `nat'"/)]);
  });

  it("rules already in place and the jump there: only looked at", async () => {
    const { lan, commands } = setUp(ON, (command) => (command === "ip -4 rule show" ? { code: 0, stdout: RULE4 } : command === "ip -6 rule show" ? { code: 0, stdout: RULE6 } : undefined));
    await lan.onRunning(["100.64.0.1", "fd7a::1"]);
    expect(commands.ran.every((command) => command.includes(" -C ") || command.endsWith("rule show"))).toBe(true);
  });

  it("off: a chain an earlier run left is removed (and said); none: only looked for", async () => {
    const left = setUp(OFF, () => undefined);
    expect(await left.lan.onRunning(["100.64.0.1"])).toEqual({ masquerade: "off" });
    expect(left.lines).toContain("INFO lan: removed a LAN masquerade an earlier run left (TS_LAN_MASQUERADE is off) family=IPv4");
    const none = setUp(OFF, (command) => (command.includes(" -S ") ? { code: 1 } : undefined));
    await none.lan.onRunning(["100.64.0.1"]);
    // Run side by side: the order between the two kinds is not fixed.
    expect(new Set(none.commands.ran)).toEqual(new Set(["iptables-legacy -w 5 -t nat -S TS-SUPERVISOR-MASQ", "ip6tables-legacy -w 5 -t nat -S TS-SUPERVISOR-MASQ", "ip -4 rule show", "ip -4 rule add to 192.168.88.0/24 table main priority 5260"]));
    expect(none.lines).toEqual([]);
  });

  it("userspace networking: nothing is run", async () => {
    const { lan, commands, cleanup } = setUp(USERSPACE, () => undefined);
    expect(await lan.onRunning(["100.64.0.1"])).toEqual({ masquerade: "off" });
    await lan.remove();
    expect([...commands.ran, ...cleanup.ran]).toEqual([]);
    expect(lan.kernel).toBe(false);
  });

  it("at the stop: through the cleanup runner, the chain of both families and the rules the plan put, one line saying what went", async () => {
    const jumps = new Map([["iptables", 1], ["ip6tables", 1]]);
    const atStop = (command: string): FakeAnswer | undefined => {
      if (command.endsWith("rule show")) return { code: 0, stdout: command.startsWith("ip -4") ? RULE4 : RULE6 };
      const program = command.startsWith("ip6tables") ? "ip6tables" : "iptables";
      const left = jumps.get(program) ?? 0;
      if (!command.includes(" -D ")) return undefined;
      jumps.set(program, left - 1);
      return { code: left > 0 ? 0 : 1 };
    };
    const { lan, commands, cleanup, lines } = setUp(ON, () => undefined, atStop);
    await lan.remove();
    expect(commands.ran).toEqual([]);
    expect(cleanup.ran).toEqual(expect.arrayContaining(["iptables-legacy -w 2 -t nat -X TS-SUPERVISOR-MASQ", "ip6tables-legacy -w 2 -t nat -X TS-SUPERVISOR-MASQ", "ip -4 rule del to 192.168.88.0/24 table main priority 5260", "ip -6 rule del to fd00:88::/64 table main priority 5260"]));
    expect(lines).toEqual(["INFO lan: LAN rules removed masquerade=IPv4,IPv6 policyRules=192.168.88.0/24,fd00:88::/64"]);
  });

  it("a stop in the middle of Running's commands: no warnings about commands the stop ended", async () => {
    const lines: string[] = [];
    const log = createLogger({ format: "plain", level: "debug", component: "lan", write: (line) => lines.push(line), now: () => 0 });
    const stopping = createFakeRunner(() => ({ failure: "stopped" }), { stopping: true });
    await createLanRouting(ON, stopping, createFakeRunner(), log).onRunning(["100.64.0.1"]);
    expect(lines).toEqual([]);
  });
});
