// The supervisor's view of control-server trouble: the warning and reminders it logs, the one timer
// that brings it back, the end of the trouble, and tailscaled's repeated lines held back meanwhile.
import { describe, expect, it } from "vitest";
import { createControlWatch } from "../../../../src/core/supervise/control/control-watch.ts";
import { adviseTrouble } from "../../../../src/core/supervise/control/trouble-advice.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const REFUSED = "fetch control key: dial tcp 10.0.0.1:443: connect: connection refused";

function watch(headscale = true) {
  const host = createFakeHost();
  const { log, entries } = createCapturedLog();
  let checks = 0;
  const control = createControlWatch(host.clock, log, headscale, () => (checks += 1));
  return { host, entries, control, checks: () => checks };
}

describe("createControlWatch", () => {
  it("warns at once with the class, tailscaled's error, the fix and when the next reminder comes", () => {
    const { entries, control } = watch();
    control.noteTrouble("control-unreachable", REFUSED);
    const advice = adviseTrouble("control-unreachable", true);
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: advice.message, fields: { class: "control-unreachable", error: REFUSED, fix: advice.fix, for: undefined, errors: undefined, repeatsNotLogged: undefined, notLogged: undefined, nextReminder: "1m" } }]);
    expect(control.current()).toMatchObject({ troubleClass: "control-unreachable", message: REFUSED });
  });

  it("asks for a check when the reminder is due, and reminds with how long and how many errors, and what it held back", () => {
    const { host, entries, control, checks } = watch(false);
    control.noteTrouble("dns", "no such host");
    expect(control.shouldLog("Received error: no such host")).toBe(false);
    host.advance(20_000);
    control.noteTrouble("dns", "no such host");
    expect(control.shouldLog("magicsock: [0x1] retry")).toBe(true);
    expect(control.shouldLog("magicsock: [0x2] retry")).toBe(false);
    host.advance(39_999);
    expect(checks()).toBe(0);
    host.advance(1);
    expect(checks()).toBe(1);
    control.onCheckDue();
    expect(entries[1]).toEqual({
      level: "warn",
      component: "supervisor",
      msg: adviseTrouble("dns", false).message,
      fields: { class: "dns", error: "no such host", fix: adviseTrouble("dns", false).fix, for: "1m", errors: 1, repeatsNotLogged: 2, notLogged: "1 like 'Received error: no such host', 1 like 'magicsock: [0x1] retry' (numbers differ)", nextReminder: "2m" },
    });
  });

  it("state changes are always logged, lines are held back only during the trouble", () => {
    const { control } = watch();
    expect(control.shouldLog("x 1")).toBe(true);
    expect(control.shouldLog("x 2")).toBe(true);
    control.noteTrouble("timeout", "i/o timeout");
    expect(control.shouldLog("x 3")).toBe(true);
    expect(control.shouldLog("x 4")).toBe(false);
    expect(control.shouldLog("Switching ipn state Running -> Starting")).toBe(true);
    expect(control.shouldLog("Switching ipn state Running -> Starting")).toBe(true);
  });

  it("the server answering ends it: said once, with how long and what was held back; lines are logged again", () => {
    const { host, entries, control } = watch();
    control.noteTrouble("timeout", "i/o timeout");
    control.shouldLog("y 1");
    control.shouldLog("y 2");
    host.advance(90_000);
    control.noteAnswered();
    expect(entries[1]).toEqual({ level: "info", component: "supervisor", msg: "control server reachable again", fields: { class: "timeout", after: "1m30s", repeatsNotLogged: 1, notLogged: "1 like 'y 1' (numbers differ)" } });
    expect(control.current()).toBeUndefined();
    expect(control.shouldLog("y 3")).toBe(true);
    control.noteAnswered();
    expect(entries).toHaveLength(2);
  });

  it("quiet for 2 minutes ends it too", () => {
    const { host, entries, control, checks } = watch();
    control.noteTrouble("tls", "x509: unknown authority");
    host.advance(60_000);
    control.onCheckDue();
    host.advance(60_000);
    expect(checks()).toBe(2);
    control.onCheckDue();
    expect(entries.map((entry) => entry.msg)).toEqual([adviseTrouble("tls", true).message, "no control server errors for a while"]);
    expect(entries[1]?.fields).toEqual({ class: "tls", quietFor: "2m", lasted: "2m", repeatsNotLogged: undefined, notLogged: undefined });
  });

  it("the network coming back ends only a network-down trouble", () => {
    const { entries, control } = watch();
    control.noteTrouble("dns", "no such host");
    control.noteNetworkUp();
    expect(control.current()?.troubleClass).toBe("dns");
    control.noteTrouble("network-down", "the network is down");
    control.noteNetworkUp();
    expect(control.current()).toBeUndefined();
    expect(entries.at(-1)?.msg).toBe("control server reachable again");
  });

  it("stop: no more checks", () => {
    const { host, control, checks } = watch();
    control.noteTrouble("dns", "x");
    control.stop();
    host.advance(10 * 60_000);
    expect(checks()).toBe(0);
  });
});
