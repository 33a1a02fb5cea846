// tailscaled's health warnings as its log reports them: which are active, since when, what each line
// changed, and which kinds are routine, worded by the supervisor, about the control server, or stop traffic.
import { describe, expect, it } from "vitest";
import { CONTROL_WARNABLES, createHealthWarnings, ROUTINE_WARNABLES, SUPERVISOR_WORDED_WARNABLES, TRAFFIC_STOPPING_WARNABLES } from "../../../../src/core/supervise/state/health-warnings.ts";

describe("createHealthWarnings", () => {
  it("starts empty", () => {
    const warnings = createHealthWarnings();
    expect(warnings.active()).toEqual([]);
    expect(warnings.since("router")).toBeUndefined();
  });

  it("a warning appears, changes its message keeping its start, repeats as nothing, and clears", () => {
    const warnings = createHealthWarnings();
    expect(warnings.note("router", "setting up routes failed", 1000)).toBe("appeared");
    expect(warnings.note("router", "setting up routes failed", 2000)).toBe("none");
    expect(warnings.note("router", "iptables failed", 3000)).toBe("changed");
    expect(warnings.active()).toEqual([{ warnable: "router", message: "iptables failed", sinceMs: 1000 }]);
    expect(warnings.since("router")).toBe(1000);
    expect(warnings.note("router", undefined, 4000)).toBe("cleared");
    expect(warnings.active()).toEqual([]);
    expect(warnings.since("router")).toBeUndefined();
  });

  it("an `ok` for a warning that is not active changes nothing", () => {
    const warnings = createHealthWarnings();
    expect(warnings.note("no-derp-home", undefined, 1000)).toBe("none");
    expect(warnings.active()).toEqual([]);
  });

  it("a warning that cleared and came back starts anew", () => {
    const warnings = createHealthWarnings();
    warnings.note("dns", "no DNS", 1000);
    warnings.note("dns", undefined, 2000);
    expect(warnings.note("dns", "no DNS", 5000)).toBe("appeared");
    expect(warnings.since("dns")).toBe(5000);
  });

  it.each(ROUTINE_WARNABLES)("routine %s is not tracked", (warnable) => {
    const warnings = createHealthWarnings();
    expect(warnings.note(warnable, "starting", 1000)).toBe("none");
    expect(warnings.note(warnable, undefined, 2000)).toBe("none");
    expect(warnings.active()).toEqual([]);
  });

  it("keeps several warnings apart, in the order they appeared", () => {
    const warnings = createHealthWarnings();
    warnings.note("router", "r", 1000);
    warnings.note("login-state", "logged out", 2000);
    warnings.note("router", undefined, 3000);
    warnings.note("dns", "d", 4000);
    expect(warnings.active().map((warning) => warning.warnable)).toEqual(["login-state", "dns"]);
  });

  it("clear forgets everything (tailscaled restarted)", () => {
    const warnings = createHealthWarnings();
    warnings.note("router", "r", 1000);
    warnings.note("dns", "d", 1000);
    warnings.clear();
    expect(warnings.active()).toEqual([]);
    expect(warnings.note("router", "r", 9000)).toBe("appeared");
    expect(warnings.since("router")).toBe(9000);
  });

  it("sets are independent", () => {
    const first = createHealthWarnings();
    const second = createHealthWarnings();
    first.note("router", "r", 1000);
    expect(second.active()).toEqual([]);
  });
});

describe("warnable kinds", () => {
  it("what the supervisor words itself stops traffic, and is neither routine nor a control consequence", () => {
    for (const warnable of SUPERVISOR_WORDED_WARNABLES) expect(TRAFFIC_STOPPING_WARNABLES).toContain(warnable);
    const kinds = [ROUTINE_WARNABLES, SUPERVISOR_WORDED_WARNABLES, CONTROL_WARNABLES];
    const all = kinds.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const warnable of ROUTINE_WARNABLES) expect(TRAFFIC_STOPPING_WARNABLES).not.toContain(warnable);
  });

  it("stopping traffic: routes/firewall, network, relay, UDP, forwarding, receive, login", () => {
    expect([...TRAFFIC_STOPPING_WARNABLES].sort()).toEqual(["ip-forwarding-off", "login-state", "magicsock-receive-func-error", "network-status", "no-derp-home", "no-udp4-bind", "router"]);
  });
});
