import { describe, expect, it } from "vitest";
import { parseRoutes } from "../../../../src/core/config/values/routes.ts";

describe("parseRoutes", () => {
  it.each([
    ["192.168.88.0/24", ["192.168.88.0/24"]],
    ["192.168.88.0/24,10.0.0.0/8", ["192.168.88.0/24", "10.0.0.0/8"]],
    ["192.168.88.0/24 10.0.0.0/8", ["192.168.88.0/24", "10.0.0.0/8"]],
    [" 192.168.88.0/24 ,, 10.0.0.0/8 ", ["192.168.88.0/24", "10.0.0.0/8"]],
    ["192.168.88.0/24,192.168.88.0/24", ["192.168.88.0/24"]],
    ["fd7a:115c:a1e0:0::/48,fd7a:115c:a1e0::/48", ["fd7a:115c:a1e0::/48"]],
    ["fd7a:115c:a1e0::/48,2001:db8::/32", ["fd7a:115c:a1e0::/48", "2001:db8::/32"]],
    ["", []],
  ])("%j → %j", (raw, expected) => {
    const parsed = parseRoutes(raw, "TS_ROUTES");
    expect(parsed.ok && parsed.value.map((route) => route.text)).toEqual(expected);
  });

  it.each([
    ["192.168.88.1/24", "did you mean 192.168.88.0/24?"],
    ["0.0.0.0/0", "remove it from TS_ROUTES and add --advertise-exit-node to TS_EXTRA_ARGS to offer this node as an exit node"],
    ["::/0", "remove it from TS_ROUTES and add --advertise-exit-node to TS_EXTRA_ARGS to offer this node as an exit node"],
    ["bogus", "write subnets in CIDR form, e.g. TS_ROUTES=192.168.88.0/24"],
    ["::ffff:192.168.1.0/120", "write the IPv4 subnet: did you mean 192.168.1.0/24?"],
  ])("%s is refused: %s", (raw, fix) => {
    expect(parseRoutes(raw, "TS_ROUTES")).toEqual({ ok: false, problems: [expect.objectContaining({ fix })] });
  });

  it("reports every bad entry", () => {
    const parsed = parseRoutes("192.168.88.1/24,bogus,10.0.0.0/8", "ADVERTISE_ROUTES");
    expect(parsed.ok ? [] : parsed.problems.map((problem) => problem.problem)).toEqual([
      "192.168.88.1/24 has host bits set",
      "bogus is not an IPv4 or IPv6 prefix: it is not an IPv4 or IPv6 address",
    ]);
  });

  it("says why an IPv4-mapped prefix is refused, not that it is no prefix", () => {
    const parsed = parseRoutes("::ffff:192.168.1.0/120", "TS_ROUTES");
    expect(parsed.ok ? "" : parsed.problems[0]?.problem).toBe("::ffff:192.168.1.0/120 is an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d), which no packet on the tailnet carries");
  });

  it("reports the first bad entries one by one and counts the rest", () => {
    const parsed = parseRoutes(Array.from({ length: 25 }, (_, index) => `10.0.${index}.1/24`).join(","), "TS_ROUTES");
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toHaveLength(9);
    expect(problems[0]).toEqual({ problem: "10.0.0.1/24 has host bits set", fix: "did you mean 10.0.0.0/24?" });
    expect(problems[8]).toEqual({ problem: "17 more entries are not valid subnets either", fix: "check every entry of TS_ROUTES" });
  });

  it("quotes a long bad entry shortened", () => {
    const parsed = parseRoutes(`${"x".repeat(70_000)}/24`, "TS_ROUTES");
    expect(parsed.ok ? "" : parsed.problems[0]?.problem).toMatch(/^x{60}\.\.\.\(70003 characters\) is not/);
  });

  it("keeps the first of duplicates in canonical form, in linear time (20,000 routes)", () => {
    const routes = Array.from({ length: 20_000 }, (_, index) => `10.${index >> 8}.${index & 255}.0/24`);
    const started = performance.now();
    const parsed = parseRoutes([...routes, ...routes].join(","), "TS_ROUTES");
    expect(parsed.ok && parsed.value.length).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
