// The supervisor's failures in words: the boot deadline's verdict (crash loop, control-server trouble
// or plain timeout), and why it stopped restarting tailscaled.
import { describe, expect, it } from "vitest";
import { adviseTrouble } from "../../../../src/core/supervise/control/trouble-advice.ts";
import { describeBootTimeout, describeCrashLoop, describeGiveUp, judgeBootDeadline, type BootDeadlineFacts } from "../../../../src/core/supervise/diagnostics/describe-failure.ts";

const TROUBLE = { troubleClass: "dns", message: "lookup hs.example: no such host", sinceMs: 0, lastSeenMs: 0, lastWarnedMs: 0, seenSinceWarning: 0, reminderMs: 60_000 } as const;
const CRASH_FIX = "read tailscaled's crash line and last lines below; fix the cause they name";
const TIMEOUT_FIX = "check that the control server is reachable from the container (default route, DNS, firewall); raise TS_BOOT_TIMEOUT on slow links";
const crash = { kind: "exited", code: 2 } as const;

describe("describeBootTimeout", () => {
  it.each([
    [false, "the supervisor keeps waiting (TS_EXIT_ON_BOOT_TIMEOUT=true would exit)"],
    [true, "TS_EXIT_ON_BOOT_TIMEOUT=true: stopping"],
  ])("without trouble: a timeout (exiting %s)", (exiting, next) => {
    expect(describeBootTimeout(undefined, "Starting", 60_000, false, exiting)).toEqual({ failureClass: "timeout", cause: `tailscaled has not reached Running within 60 s (state Starting); ${next}`, fix: TIMEOUT_FIX });
  });

  it("with trouble: its class, what tailscaled reports, and the advice's fix", () => {
    expect(describeBootTimeout(TROUBLE, "NeedsLogin", 90_000, true, false)).toEqual({
      failureClass: "dns",
      cause: "tailscaled has not reached Running within 90 s (state NeedsLogin); the supervisor keeps waiting (TS_EXIT_ON_BOOT_TIMEOUT=true would exit). tailscaled reports: lookup hs.example: no such host",
      fix: adviseTrouble("dns", true).fix,
    });
  });
});

describe("judgeBootDeadline", () => {
  const facts = (over: Partial<BootDeadlineFacts>): BootDeadlineFacts => ({ deaths: { count: 0, last: undefined }, daemonRunning: true, trouble: undefined, state: "Starting", timeoutMs: 60_000, headscale: false, exiting: true, ...over });
  it.each<[string, Partial<BootDeadlineFacts>, string, number]>([
    ["no death, no trouble: a timeout", {}, "timeout", 1],
    ["no death, trouble: the trouble", { trouble: TROUBLE }, "dns", 1],
    ["one death, running again into trouble: the trouble stands in the way", { deaths: { count: 1, last: crash }, trouble: TROUBLE }, "dns", 1],
    ["one death, running, no trouble: a crash", { deaths: { count: 1, last: crash } }, "daemon-crash", 2],
    ["one death, not running: a crash", { deaths: { count: 1, last: crash }, daemonRunning: false, trouble: TROUBLE }, "daemon-crash", 2],
    ["two deaths, even with trouble: a crash", { deaths: { count: 2, last: crash }, trouble: TROUBLE }, "daemon-crash", 2],
    ["a death by a signal: its 128+n", { deaths: { count: 3, last: { kind: "killed", signal: 11 } }, daemonRunning: false }, "daemon-crash", 139],
    ["a death with code 0: still a failure", { deaths: { count: 3, last: { kind: "exited", code: 0 } }, daemonRunning: false }, "daemon-crash", 1],
  ])("%s", (_, given, failureClass, exitCode) => {
    const verdict = judgeBootDeadline(facts(given));
    expect([verdict.failure.failureClass, verdict.exitCode]).toEqual([failureClass, exitCode]);
  });
});

describe("describeGiveUp and describeCrashLoop", () => {
  it("a tailscaled that cannot be executed", () => {
    expect(describeGiveUp({ kind: "give-up", reason: "permanent", deaths: 1 }, { kind: "exited", code: 127 }, 60_000)).toEqual({
      failureClass: "daemon-crash",
      cause: "tailscaled could not be executed (code 127)",
      fix: "check that tailscaled is installed and executable on PATH",
    });
  });

  it("too many deaths", () => {
    expect(describeGiveUp({ kind: "give-up", reason: "too-many-deaths", deaths: 5 }, { kind: "killed", signal: 6 }, 60_000)).toEqual({
      failureClass: "daemon-crash",
      cause: "tailscaled died 5 times within 60 s of running (last exit signal 6)",
      fix: CRASH_FIX,
    });
  });

  it.each([
    [1, false, "tailscaled died 1 time and has not reached Running within 60 s (last exit code 2); the supervisor keeps restarting it until TS_RESTART_LIMIT deaths fall within 60 s of its running time"],
    [3, true, "tailscaled died 3 times and has not reached Running within 60 s (last exit code 2); TS_EXIT_ON_BOOT_TIMEOUT=true: stopping"],
  ])("a crash loop at the deadline: %i deaths, exiting %s", (deaths, exiting, cause) => {
    expect(describeCrashLoop(deaths, crash, 60_000, exiting)).toEqual({ failureClass: "daemon-crash", cause, fix: CRASH_FIX });
  });
});
