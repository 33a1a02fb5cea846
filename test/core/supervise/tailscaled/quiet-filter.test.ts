// Which of tailscaled's lines reach the RouterOS log: against every recorded log of the real daemon,
// and the health warnings' life (appear, change, clear) line by line.
import { describe, expect, it } from "vitest";
import type { TailscaledLogMode } from "../../../../src/core/log/format-line.ts";
import { createHealthWarnings } from "../../../../src/core/supervise/state/health-warnings.ts";
import { createQuietFilter } from "../../../../src/core/supervise/tailscaled/quiet-filter.ts";
import { isVerboseLine } from "../../../../src/core/supervise/tailscaled/log-relay.ts";
import { readRecordedLog, RECORDED_LOG_NAMES } from "../../../support/recorded-logs.ts";

function createFilter(mode: TailscaledLogMode = "important", troubled = false) {
  const health = createHealthWarnings();
  let changes = 0;
  const filter = createQuietFilter({ mode, health, now: () => 1000, controlTroubled: () => troubled, onHealthChange: () => (changes += 1) });
  return { filter, health, changes: () => changes };
}

/** The lines of a recording the filter logs (verbose lines never reach it, as in the relay). */
function loudLines(name: string, mode: TailscaledLogMode = "important"): string[] {
  const { filter } = createFilter(mode);
  return readRecordedLog(name).filter((line) => !isVerboseLine(line) && filter.route(line).loud);
}

describe("the quiet log against the recorded logs", () => {
  it.each(RECORDED_LOG_NAMES)("%s: only state changes and real warnings", (name) => {
    const loud = loudLines(name);
    for (const line of loud) expect(line).toMatch(/^Switching ipn state \w+ -> (NeedsLogin|NeedsMachineAuth|Stopped|Running) |^health\(warnable=ip-forwarding-off\): error: /);
    expect(loud.length).toBeLessThanOrEqual(3);
  });

  it("a first boot and a restart each log one line of tailscaled's: Running", () => {
    expect(loudLines("config-first-boot-login.txt")).toEqual(["Switching ipn state Starting -> Running (WantRunning=true, nm=true)"]);
    expect(loudLines("restart-logged-in-then-sigterm.txt")).toEqual(["Switching ipn state Starting -> Running (WantRunning=true, nm=true)"]);
  });

  it("a kernel-mode login logs the forwarding warning tailscaled gives", () => {
    expect(loudLines("kernel-tun-netns-login-sigterm.txt")).toEqual([
      "Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)",
      "health(warnable=ip-forwarding-off): error: Subnet routing is enabled, but IP forwarding is disabled. Check that IP forwarding is enabled on your machine.",
      "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
    ]);
  });

  it.each(RECORDED_LOG_NAMES)("%s with TS_TAILSCALED_LOG=all: every line, false alarms not as warnings", (name) => {
    const { filter } = createFilter("all");
    for (const line of readRecordedLog(name).filter((text) => !isVerboseLine(text))) {
      const route = filter.route(line);
      expect(route.loud).toBe(true);
      if (route.level === "warn") expect(line, line).toMatch(/^health\(warnable=(?!warming-up|wantrunning-false)[^)]+\): error: |^wgengine: Reconfig: router config failed/);
    }
  });
});

describe("health warnings", () => {
  const error = (warnable: string, message = "broken") => `health(warnable=${warnable}): error: ${message}`;
  const ok = (warnable: string) => `health(warnable=${warnable}): ok`;

  it("a warning is logged when it appears and when it clears; a changed text only in the ring", () => {
    const { filter, health, changes } = createFilter();
    expect(filter.route(error("derp-timed-out", "not heard in 2m5s"))).toEqual({ loud: true, level: "warn" });
    expect(filter.route(error("derp-timed-out", "not heard in 2m10s"))).toEqual({ loud: false, level: "warn" });
    expect(health.active()).toEqual([{ warnable: "derp-timed-out", message: "not heard in 2m10s", sinceMs: 1000 }]);
    expect(filter.route(ok("derp-timed-out"))).toEqual({ loud: true, level: "info" });
    expect(health.active()).toEqual([]);
    expect(filter.route(ok("derp-timed-out"))).toEqual({ loud: false, level: "info" });
    expect(changes()).toBe(3);
  });

  it("starting and logged-out warnings are not logged: the supervisor says those in its own words", () => {
    const { filter, health } = createFilter();
    expect(filter.route(error("warming-up")).loud).toBe(false);
    expect(filter.route(error("login-state", "You are logged out.")).loud).toBe(false);
    expect(filter.route(error("network-status")).loud).toBe(false);
    expect(filter.route(ok("login-state")).loud).toBe(false);
    // Recorded all the same, but for the routine ones.
    expect(health.active().map((warning) => warning.warnable)).toEqual(["network-status"]);
  });

  it("a map-response timeout is logged unless the supervisor already warns about the control server", () => {
    expect(createFilter("important", false).filter.route(error("mapresponse-timeout")).loud).toBe(true);
    const troubled = createFilter("important", true).filter;
    expect(troubled.route(error("mapresponse-timeout")).loud).toBe(false);
    // Its clearing is not logged either, as its appearance was not.
    expect(troubled.route(ok("mapresponse-timeout")).loud).toBe(false);
  });

  it("a restart of tailscaled starts health and states from nothing", () => {
    const { filter, health } = createFilter();
    filter.route("Switching ipn state Starting -> Running (WantRunning=true, nm=true)");
    filter.route(error("router", "setting up netfilter: exit status 1"));
    filter.reset();
    expect(health.active()).toEqual([]);
    expect(filter.route(error("router", "setting up netfilter: exit status 1")).loud).toBe(true);
    expect(filter.route("Switching ipn state Starting -> Running (WantRunning=true, nm=true)").loud).toBe(true);
  });

  it("a state is logged once until it changes; Starting not at all", () => {
    const { filter } = createFilter();
    expect(filter.route("Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)").loud).toBe(true);
    expect(filter.route("Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)").loud).toBe(false);
    expect(filter.route("Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)").loud).toBe(false);
    expect(filter.route("Switching ipn state Starting -> Running (WantRunning=true, nm=true)").loud).toBe(true);
    expect(filter.route("Switching ipn state Running -> NeedsLogin (WantRunning=true, nm=true)").loud).toBe(true);
  });
});
