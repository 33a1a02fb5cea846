// From facts to checks and the tailscaled plan: the checks in order, the plan's mode, environment and
// netfilter mode, whether tailscaled may start, and whether the mode asked for was had.
import { describe, expect, it } from "vitest";
import { evaluatePreflight } from "../../../src/core/preflight/evaluate-preflight.ts";
import type { AppliedFix } from "../../../src/core/preflight/preflight-check.ts";
import type { PreflightFacts } from "../../../src/core/preflight/probe-all.ts";
import { configOf } from "../../fakes/config-of.ts";
import { SYSTEM } from "../../fakes/preflight-machine.ts";

const BIN = "/run/tailscale-supervisor/bin";
const MIB = 2 ** 20;
const WORKS = { kind: "works", rules: 0 } as const;
const FACTS: PreflightFacts = {
  system: SYSTEM,
  capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW", "MKNOD"] },
  tun: { kind: "usable" },
  devReadOnly: false,
  firewall: { probes: [{ backend: "legacy", family: 4, result: WORKS }, { backend: "legacy", family: 6, result: WORKS }] },
  firewallChoice: { kind: "backend", backend: "legacy", ipv6: true, reason: "only legacy works" },
  sysctls: { values: new Map([["net.ipv4.ip_forward", "0"]]), readOnly: false },
  returnRoutes: undefined,
  stateDir: { path: "/var/lib/tailscale", kind: "directory", writeError: undefined, mount: { mountPoint: "/var/lib/tailscale", fsType: "ext4", source: "/dev/sda1", readOnly: false, noDev: false }, hasState: true },
  memory: { limitBytes: 256 * MIB, limitFile: "/sys/fs/cgroup/memory.max", totalBytes: 1024 * MIB, availableBytes: 512 * MIB },
};
const evaluate = (facts: Partial<PreflightFacts> = {}, env: Record<string, string> = {}, applied: readonly AppliedFix[] | undefined = undefined, environment: Record<string, string> = { PATH: "/usr/bin" }) =>
  evaluatePreflight({ ...FACTS, ...facts }, configOf(env), environment, applied, BIN);
const NO_NET_ADMIN = { kind: "known", effective: ["NET_RAW"] } as const;

describe("evaluatePreflight", () => {
  it("a machine with everything: the checks in order, kernel mode, the firewall's env and GOMEMLIMIT", () => {
    const evaluation = evaluate();
    expect(evaluation.checks.map((check) => [check.id, check.status])).toEqual([
      ["tun", "ok"],
      ["capabilities", "ok"],
      ["mode", "ok"],
      ["firewall", "ok"],
      ["forwarding", "ok"],
      ["return-routes", "ok"],
      ["state-dir", "ok"],
      ["state-persistence", "ok"],
      ["memory", "ok"],
    ]);
    expect(evaluation.plan).toEqual({ userspace: false, env: { PATH: `${BIN}:/usr/bin`, TS_DEBUG_FIREWALL_MODE: "iptables", GOMEMLIMIT: "192MiB" }, netfilterMode: undefined });
    expect([evaluation.canRun, evaluation.modeAsked]).toEqual([true, true]);
  });

  it("a user's GOMEMLIMIT is not overridden; no limit, no GOMEMLIMIT", () => {
    expect(evaluate({}, {}, undefined, { PATH: "/usr/bin", GOMEMLIMIT: "10MiB" }).plan.env).toEqual({ PATH: `${BIN}:/usr/bin`, TS_DEBUG_FIREWALL_MODE: "iptables" });
    expect(evaluate({ memory: { ...FACTS.memory, limitBytes: undefined } }).plan.env).not.toHaveProperty("GOMEMLIMIT");
  });

  it("the netfilter mode comes from the firewall plan (off without a backend)", () => {
    expect(evaluate({ firewallChoice: { kind: "none" } }).plan).toEqual({ userspace: false, env: { GOMEMLIMIT: "192MiB" }, netfilterMode: "off" });
    expect(evaluate({}, { TS_NETFILTER_MODE: "nodivert" }).plan.netfilterMode).toBe("nodivert");
  });

  it("routes in kernel mode: forwarding needed and its sysctl checked", () => {
    const checks = evaluate({}, { TS_ROUTES: "192.168.88.0/24" }).checks;
    expect(checks.filter((check) => check.id.includes("forward"))).toEqual([
      { id: "forwarding", status: "ok", what: "needed for IPv4" },
      expect.objectContaining({ id: "net.ipv4.ip_forward", status: "warn" }),
    ]);
    expect(checks.find((check) => check.id === "return-routes")?.what).toContain("TS_CONTAINER_GATEWAY not set");
  });

  it("routes after a fallback to userspace: forwarding not needed, the firewall not needed either", () => {
    const evaluation = evaluate({ capabilities: NO_NET_ADMIN, firewallChoice: { kind: "none" } }, { TS_ROUTES: "192.168.88.0/24" });
    expect(evaluation.checks.find((check) => check.id === "forwarding")?.what).toMatch(/^not needed/);
    expect(evaluation.checks.find((check) => check.id === "firewall")).toMatchObject({ status: "ok", what: expect.stringContaining("not needed in userspace networking") });
    expect(evaluation.plan.userspace).toBe(true);
    // It runs, but not in the mode asked for: `doctor` exits non-zero.
    expect([evaluation.canRun, evaluation.modeAsked]).toEqual([true, false]);
  });

  it("TS_USERSPACE=true is the mode asked for", () => {
    const evaluation = evaluate({ tun: { kind: "missing" } }, { TS_USERSPACE: "true" });
    expect([evaluation.plan.userspace, evaluation.canRun, evaluation.modeAsked]).toEqual([true, true, true]);
  });

  it("a failed check: tailscaled may not start, and the mode asked for was not had", () => {
    const evaluation = evaluate({ stateDir: { ...FACTS.stateDir, kind: "not-a-directory" } });
    expect([evaluation.canRun, evaluation.modeAsked]).toEqual([false, false]);
    expect(evaluate({ capabilities: NO_NET_ADMIN }, { TS_USERSPACE: "false" })).toMatchObject({ canRun: false, modeAsked: false, plan: { userspace: false } });
  });

  it("the TUN fix's error reaches the TUN check", () => {
    const checks = evaluate({ tun: { kind: "missing" } }, {}, [{ id: "tun", outcome: { ok: false, error: "EPERM" } }]).checks;
    expect(checks.find((check) => check.id === "tun")?.what).toBe("/dev/net/tun is missing and creating it failed (EPERM)");
  });

  it("the fixes' errors reach the sysctl, route and state dir checks", () => {
    const applied: AppliedFix[] = [
      { id: "net.ipv4.ip_forward", outcome: { ok: false, error: "EACCES" } },
      { id: "state-dir", outcome: { ok: false, error: "EROFS" } },
    ];
    const checks = evaluate({ stateDir: { ...FACTS.stateDir, kind: "missing" } }, { TS_ROUTES: "192.168.88.0/24" }, applied).checks;
    expect(checks.find((check) => check.id === "net.ipv4.ip_forward")?.what).toContain("cannot be set to 1 (EACCES)");
    expect(checks.find((check) => check.id === "state-dir")).toMatchObject({ status: "fail", what: expect.stringContaining("cannot be created (EROFS)") });
  });

  it("links that could not be made: a warning at the end", () => {
    const checks = evaluate({}, {}, [{ id: "firewall-links", outcome: { ok: false, error: "EROFS" } }]).checks;
    expect(checks[checks.length - 1]).toEqual({ id: "firewall-links", status: "warn", what: "cannot link iptables to the chosen backend (EROFS): tailscaled uses the first iptables on PATH" });
    expect(evaluate({}, {}, [{ id: "firewall-links", outcome: { ok: true, change: "linked" } }]).checks.map((check) => check.id)).not.toContain("firewall-links");
  });
});
