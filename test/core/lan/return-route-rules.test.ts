import { describe, expect, it } from "vitest";
import { parseRuleSubnets, syncRouteRules } from "../../../src/core/lan/return-route-rules.ts";
import { createFakeRunner } from "../../fakes/fake-runner.ts";

const LIMITS = { timeoutMs: 1000, lockWaitS: 0 };
// `ip rule show` with tailscaled's rules and ours (iproute2; busybox prints the same shape).
const SHOWN = `0:\tfrom all lookup local
5210:\tfrom all fwmark 0x80000/0xff0000 lookup main
5250:\tfrom all fwmark 0x80000/0xff0000 unreachable
5260:\tfrom all to 192.168.88.0/24 lookup main
5260:\tfrom all to 10.1.2.3 lookup main
5261:\tfrom all to 10.9.0.0/16 lookup main
5260:\tfrom all to 10.8.0.0/16 lookup 52
5270:\tfrom all lookup 52
32766:\tfrom all lookup main
`;

describe("parseRuleSubnets", () => {
  it("finds ours (priority 5260, lookup main) only; a host route gets its /32", () => {
    expect(parseRuleSubnets(SHOWN, 4)).toEqual(["192.168.88.0/24", "10.1.2.3/32"]);
  });

  it("IPv6: a host route gets /128", () => {
    expect(parseRuleSubnets("5260:\tfrom all to fd00:88::/64 lookup main\n5260: from all to fd00::1 lookup main\n", 6)).toEqual(["fd00:88::/64", "fd00::1/128"]);
  });
});

describe("syncRouteRules", () => {
  it("adds the missing rules and removes the stale ones of this family", async () => {
    const runner = createFakeRunner((command) => (command === "ip -4 rule show" ? { code: 0, stdout: SHOWN } : undefined));
    expect(await syncRouteRules(runner, 4, ["192.168.88.0/24", "172.16.0.0/12"], LIMITS)).toEqual({ added: ["172.16.0.0/12"], removed: ["10.1.2.3/32"], errors: [] });
    expect(runner.ran).toEqual(["ip -4 rule show", "ip -4 rule add to 172.16.0.0/12 table main priority 5260", "ip -4 rule del to 10.1.2.3/32 table main priority 5260"]);
  });

  it("collects the errors with the command's words", async () => {
    const runner = createFakeRunner((command) => (command.endsWith("show") ? { code: 0, stdout: "" } : { code: 2, stderr: "RTNETLINK answers: Operation not supported" }));
    expect(await syncRouteRules(runner, 6, ["fd00:88::/64"], LIMITS)).toEqual({ added: [], removed: [], errors: ["ip -6 rule add to fd00:88::/64 table main priority 5260: RTNETLINK answers: Operation not supported"] });
  });

  it("nothing listed: nothing changed, the reason as the error", async () => {
    const runner = createFakeRunner(() => ({ code: 1, stderr: "Error: ipv6: Address family not supported" }));
    expect(await syncRouteRules(runner, 6, ["fd00:88::/64"], LIMITS)).toEqual({ added: [], removed: [], errors: ["ip -6 rule show: Error: ipv6: Address family not supported"] });
  });
});
