// Return routes: each advertised subnet via the container gateway, which must be on a connected subnet;
// probed with `ip route show/get`, checked, and installed with `ip route replace`.
import { describe, expect, it } from "vitest";
import { checkReturnRoutes, installReturnRoute, listRoutesVia, parseGatewayReach, probeReturnRoutes, type ReturnRouteFacts } from "../../../src/core/preflight/return-routes.ts";
import { FIXED_AT_START } from "../../../src/core/preflight/preflight-check.ts";
import { configOf } from "../../fakes/config-of.ts";
import { createFakeCommands } from "../../fakes/fake-commands.ts";

const cidr4 = { family: 4 as const, text: "192.168.88.0/24", prefixLength: 24 };
const cidr4b = { family: 4 as const, text: "10.0.0.0/8", prefixLength: 8 };
const cidr6 = { family: 6 as const, text: "fd00:1::/64", prefixLength: 64 };
const gateway = { family: 4 as const, text: "172.17.0.1" };
const CONNECTED = { kind: "connected", source: "172.17.0.2" } as const;

describe("listRoutesVia", () => {
  it.each([
    ["192.168.88.0/24 via 172.17.0.1 dev veth0 \n", ["192.168.88.0/24"]],
    ["  192.168.88.0/24 via 172.17.0.1 dev veth0\n", ["192.168.88.0/24"]],
    ["default via 172.17.0.1 dev veth0\n10.1.0.0/16 via 172.17.0.1 dev veth0\n192.168.88.0/24 via 172.17.0.1 dev veth0\n", ["default/32", "10.1.0.0/16", "192.168.88.0/24"]],
    ["192.168.88.0/24 via 172.17.0.9 dev veth0 \n", []],
    ["192.168.88.0/24 dev veth0 scope link\n", []],
    ["192.168.88.0/24 dev veth0 via\n", []],
    ["192.168.88.0/24  via   172.17.0.1\tdev veth0\n", ["192.168.88.0/24"]],
    ["172.17.0.1 dev veth0 scope link\n", []],
    ["", []],
  ])("listRoutesVia(%j) is %j", (output, expected) => {
    expect([...listRoutesVia(output, gateway)]).toEqual(expected);
  });

  it("a host route is listed without its /32 (or /128): it counts as that prefix", () => {
    expect([...listRoutesVia("192.168.88.7 via 172.17.0.1 dev veth0\n", gateway)]).toEqual(["192.168.88.7/32"]);
    expect([...listRoutesVia("fd00::7 via fd00::1 dev veth0\n", { family: 6, text: "fd00::1" })]).toEqual(["fd00::7/128"]);
  });
});

describe("parseGatewayReach", () => {
  it.each([
    ["172.17.0.1 dev veth0 src 172.17.0.2 uid 0 \n    cache \n", true, { kind: "connected", source: "172.17.0.2" }],
    ["172.17.0.1 dev veth0 uid 0\n", true, { kind: "connected", source: undefined }],
    ["172.17.0.1  dev veth0  src   172.17.0.2\n", true, { kind: "connected", source: "172.17.0.2" }],
    ["10.99.0.1 via 172.17.0.1 dev veth0 src 172.17.0.2 uid 0\n", true, { kind: "not-connected", detail: "10.99.0.1 via 172.17.0.1 dev veth0 src 172.17.0.2 uid 0" }],
    ["RTNETLINK answers: Network is unreachable", false, { kind: "not-connected", detail: "RTNETLINK answers: Network is unreachable" }],
    ["", false, { kind: "not-connected", detail: "no route to it" }],
    ["", true, { kind: "not-connected", detail: "no route to it" }],
    ["   \nnext", true, { kind: "not-connected", detail: "no route to it" }],
    ["  RTNETLINK answers: No route to host  \n", false, { kind: "not-connected", detail: "RTNETLINK answers: No route to host" }],
  ])("parseGatewayReach(%j, %s)", (output, ok, expected) => {
    expect(parseGatewayReach(output, ok)).toEqual(expected);
  });
});

describe("probeReturnRoutes", () => {
  it.each([
    ["no gateway", { TS_ROUTES: "192.168.88.0/24" }],
    ["no routes", { TS_CONTAINER_GATEWAY: "172.17.0.1" }],
    ["routes cleared", { TS_CONTAINER_GATEWAY: "172.17.0.1", TS_ROUTES: "" }],
  ])("%s: nothing to route, nothing run", async (_, env) => {
    const commands = createFakeCommands();
    expect(await probeReturnRoutes(commands.runner, configOf(env))).toBeUndefined();
    expect(commands.ran).toEqual([]);
  });

  it("lists the gateway's family's routes once and looks at the gateway, at once; the other family is listed apart", async () => {
    const commands = createFakeCommands((argv) => {
      if (argv.includes("get")) return { stdout: "172.17.0.1 dev eth0 src 172.17.0.2 uid 0\n    cache\n" };
      return { stdout: "default via 172.17.0.1 dev eth0\n172.17.0.0/24 dev eth0 proto kernel scope link src 172.17.0.2\n192.168.88.0/24 via 172.17.0.1 dev eth0\n" };
    });
    const facts = await probeReturnRoutes(commands.runner, configOf({ TS_CONTAINER_GATEWAY: "172.17.0.1", TS_ROUTES: "192.168.88.0/24,fd00:1::/64,10.0.0.0/8" }));
    expect(facts).toEqual({
      gateway,
      reach: CONNECTED,
      routes: [
        { cidr: cidr4, present: true },
        { cidr: cidr4b, present: false },
      ],
      otherFamily: [cidr6],
    });
    expect(commands.ran).toEqual([
      ["ip", "-4", "route", "show"],
      ["ip", "-4", "route", "get", "172.17.0.1"],
    ]);
    expect(commands.options[0]).toEqual({ label: "ip -4 route show", timeoutMs: 5000, maxOutputBytes: 8 * 1024 * 1024 });
    expect(commands.options[1]).toEqual({ label: "ip -4 route get 172.17.0.1", timeoutMs: 5000 });
  });

  it("a failing `ip route show` is a missing route, whatever it printed", async () => {
    const commands = createFakeCommands((argv) => (argv.includes("show") ? { code: 1, stdout: "192.168.88.0/24 via 172.17.0.1 dev eth0\n", stderr: "192.168.88.0/24 via 172.17.0.1 dev eth0\n" } : { stdout: "172.17.0.1 dev eth0\n" }));
    const facts = await probeReturnRoutes(commands.runner, configOf({ TS_CONTAINER_GATEWAY: "172.17.0.1", TS_ROUTES: "192.168.88.0/24" }));
    expect(facts?.routes).toEqual([{ cidr: cidr4, present: false }]);
  });

  it("a gateway `ip route get` refuses is not connected, with its words; an `ip` that did not run to its end is unknown", async () => {
    const config = configOf({ TS_CONTAINER_GATEWAY: "172.17.0.1", TS_ROUTES: "192.168.88.0/24" });
    const refused = createFakeCommands((argv) => (argv.includes("get") ? { code: 2, stdout: "ignored", stderr: "RTNETLINK answers: Network is unreachable\n" } : undefined));
    expect((await probeReturnRoutes(refused.runner, config))?.reach).toEqual({ kind: "not-connected", detail: "RTNETLINK answers: Network is unreachable" });
    const hung = createFakeCommands((argv) => (argv.includes("get") ? { failure: "timed-out", error: "ip -4 route get 172.17.0.1 did not finish within 5s and was ended" } : undefined));
    expect((await probeReturnRoutes(hung.runner, config))?.reach).toEqual({ kind: "unknown", error: "ip -4 route get 172.17.0.1 did not finish within 5s and was ended" });
  });
});

describe("installReturnRoute", () => {
  it("replaces the route (idempotent) and tells the change", async () => {
    const commands = createFakeCommands();
    expect(await installReturnRoute(commands.runner, cidr6, { family: 6, text: "fd00::1" })).toEqual({ ok: true, change: "route fd00:1::/64 via fd00::1" });
    expect(commands.ran).toEqual([["ip", "-6", "route", "replace", "fd00:1::/64", "via", "fd00::1"]]);
  });

  it.each([
    [{ code: 2, stderr: "RTNETLINK answers: Operation not permitted\n" }, "ip route replace 192.168.88.0/24: RTNETLINK answers: Operation not permitted"],
    [{ failure: "stopped", error: "ip was ended by the stop request" } as const, "ip route replace 192.168.88.0/24: ip was ended by the stop request"],
  ])("a refusal is the error: %j", async (answer, error) => {
    expect(await installReturnRoute(createFakeCommands(() => answer).runner, cidr4, gateway)).toEqual({ ok: false, error });
  });
});

describe("checkReturnRoutes", () => {
  const facts = (over: Partial<ReturnRouteFacts> = {}): ReturnRouteFacts => ({ gateway, reach: CONNECTED, routes: [{ cidr: cidr4, present: true }], otherFamily: [], ...over });
  const ROUTER = "; on the router: /ip/route/add dst-address=100.64.0.0/10 gateway=172.17.0.2";

  it.each([
    ["no routes", {}, "no subnets advertised"],
    ["routes cleared", { TS_ROUTES: "" }, "no subnets advertised"],
    ["routes without a gateway", { TS_ROUTES: "192.168.88.0/24" }, "TS_CONTAINER_GATEWAY not set: no return routes added (the default route must lead back to the subnets)"],
  ])("nothing probed: %s", (_, env, what) => {
    expect(checkReturnRoutes(undefined, configOf(env), undefined)).toEqual({ id: "return-routes", status: "ok", what });
  });

  it("the gateway that cannot be checked: a warning, nothing added", () => {
    expect(checkReturnRoutes(facts({ reach: { kind: "unknown", error: "ip: not found" } }), configOf({}), undefined)).toEqual({
      id: "return-routes",
      status: "warn",
      what: "cannot check the gateway 172.17.0.1 (ip: not found): no return routes added",
      fix: "run `doctor` to see whether `ip` works in the container",
    });
  });

  it("a gateway not on a connected subnet fails", () => {
    expect(checkReturnRoutes(facts({ reach: { kind: "not-connected", detail: "10.9.9.9 via 172.17.0.1" } }), configOf({}), undefined)).toEqual({
      id: "return-routes",
      status: "fail",
      what: "gateway 172.17.0.1 is not on a connected subnet (10.9.9.9 via 172.17.0.1)",
      fix: "set TS_CONTAINER_GATEWAY to the address of the router on the container's veth subnet (RouterOS: the veth's gateway=)",
    });
  });

  it("every route in place: ok, with the router's way back", () => {
    expect(checkReturnRoutes(facts({ routes: [{ cidr: cidr4, present: true }, { cidr: cidr4b, present: true }] }), configOf({}), undefined)).toEqual({ id: "return-routes", status: "ok", what: `192.168.88.0/24, 10.0.0.0/8 via 172.17.0.1${ROUTER}` });
    expect(checkReturnRoutes(facts({ reach: { kind: "connected", source: undefined } }), configOf({}), undefined)).toEqual({ id: "return-routes", status: "ok", what: "192.168.88.0/24 via 172.17.0.1" });
  });

  it("subnets of the other family have no gateway: a warning", () => {
    expect(checkReturnRoutes(facts({ otherFamily: [cidr6] }), configOf({}), undefined)).toEqual({ id: "return-routes", status: "warn", what: `192.168.88.0/24 via 172.17.0.1; no IPv6 gateway for fd00:1::/64${ROUTER}` });
    const v6 = { family: 6 as const, text: "fd00::1" };
    expect(checkReturnRoutes(facts({ gateway: v6, reach: { kind: "connected", source: undefined }, routes: [{ cidr: cidr6, present: true }], otherFamily: [cidr4, cidr4b] }), configOf({}), undefined)).toEqual({
      id: "return-routes",
      status: "warn",
      what: "fd00:1::/64 via fd00::1; no IPv4 gateway for 192.168.88.0/24, 10.0.0.0/8",
    });
  });

  it("a missing route: added at start; one that could not be added: why, and the capability to give", () => {
    const missing = facts({ routes: [{ cidr: cidr4, present: true }, { cidr: cidr4b, present: false }] });
    expect(checkReturnRoutes(missing, configOf({}), undefined)).toEqual({ id: "return-routes", status: "warn", what: `10.0.0.0/8 via 172.17.0.1 missing; will be added with ip route replace${ROUTER}`, fix: FIXED_AT_START });
    expect(checkReturnRoutes(facts({ routes: [{ cidr: cidr4b, present: false }], otherFamily: [cidr6] }), configOf({}), [])).toEqual({
      id: "return-routes",
      status: "warn",
      what: `10.0.0.0/8 via 172.17.0.1 missing; will be added with ip route replace; no IPv6 gateway for fd00:1::/64${ROUTER}`,
      fix: FIXED_AT_START,
    });
    const applied = [
      { id: "route 10.0.0.0/8", outcome: { ok: false, error: "RTNETLINK answers: Operation not permitted" } },
      { id: "route 192.168.88.0/24", outcome: { ok: false, error: "not this one: it is present" } },
    ] as const;
    expect(checkReturnRoutes(missing, configOf({}), applied)).toEqual({ id: "return-routes", status: "warn", what: "cannot add 10.0.0.0/8 via 172.17.0.1: RTNETLINK answers: Operation not permitted", fix: "give the container CAP_NET_ADMIN" });
    const two = facts({ routes: [{ cidr: cidr4, present: false }, { cidr: cidr4b, present: false }] });
    expect(checkReturnRoutes(two, configOf({}), [applied[0]])).toMatchObject({ what: "cannot add 192.168.88.0/24, 10.0.0.0/8 via 172.17.0.1: RTNETLINK answers: Operation not permitted" });
    const both = [{ id: "route 192.168.88.0/24", outcome: { ok: false, error: "first" } }, { id: "route 10.0.0.0/8", outcome: { ok: false, error: "second" } }] as const;
    expect(checkReturnRoutes(two, configOf({}), both)).toMatchObject({ what: "cannot add 192.168.88.0/24, 10.0.0.0/8 via 172.17.0.1: first; second" });
  });
});
