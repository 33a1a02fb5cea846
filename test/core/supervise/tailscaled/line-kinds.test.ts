// What each kind of tailscaled line is (state, health, warning, false alarm, routine), against the
// lines recorded from the real daemon.
import { describe, expect, it } from "vitest";
import { classifyTailscaledLine, FALSE_ALARMS, findFalseAlarm } from "../../../../src/core/supervise/tailscaled/line-kinds.ts";
import { readRecordedLog, RECORDED_LOG_NAMES } from "../../../support/recorded-logs.ts";

// The image's tailscaled on a fresh container (legacy iptables), from `qjs /supervisor.mjs logs` in the
// standard amd64 image in npm start's topology (2026-12-04).
const CLEAR_IPTABLES = "linuxfw: clear iptables: deleting [-j ts-input] in filter/INPUT: running [/dev/shm/tailscale-supervisor/bin/iptables -t filter -D INPUT -j ts-input --wait]: exit status 2: iptables v1.8.11 (legacy): Couldn't find target `ts-input'";

describe("classifyTailscaledLine", () => {
  it.each([
    ["Switching ipn state Starting -> Running (WantRunning=true, nm=true)", { kind: "state", to: "Running" }],
    ["Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)", { kind: "state", to: "NeedsLogin" }],
    ["Switching ipn state Bogus -> Nowhere", { kind: "routine" }],
    ["health(warnable=ip-forwarding-off): error: Subnet routing is enabled, but IP forwarding is disabled.", { kind: "health", warnable: "ip-forwarding-off", message: "Subnet routing is enabled, but IP forwarding is disabled." }],
    ["health(warnable=warming-up): ok", { kind: "health", warnable: "warming-up", message: undefined }],
    ["health(warnable=x) broken", { kind: "routine" }],
    ["wgengine: Reconfig: router config failed (adding [-j ts-forward]: exit status 1); continuing to DNS config so name resolution still works", { kind: "warning" }],
    ["control: doLogin(regen=false, hasUrl=false)", { kind: "routine" }],
    ['[RATELIMIT] format("control: [v\x00JSON]%d%s")', { kind: "routine" }],
    ["Received error: invalid pre auth key", { kind: "routine" }],
  ])("%s", (line, kind) => {
    expect(classifyTailscaledLine(line)).toEqual(kind);
  });

  it.each([
    [CLEAR_IPTABLES],
    ["linuxfw: clear ip6tables: deleting [-j ts-input] in filter/INPUT: exit status 2"],
    ['router: enumerating tailscale0 addresses for cleanup failed: failed to look up link "tailscale0": Link not found'],
    ["TPM: error opening: stat /dev/tpmrm0: no such file or directory"],
    ["EditPrefs check error: can't reconfigure tailscaled when using a config file; config file is locked"],
    ["failed to apply tailnet-wide default for auto-updates (false): can't reconfigure tailscaled when using a config file; config file is locked"],
    ["ipnext: work queue shutdown failed: execqueue shut down"],
  ])("a known false alarm: %s", (line) => {
    expect(classifyTailscaledLine(line).kind).toBe("false-alarm");
  });

  it("a false alarm's part must be there too: an EditPrefs error of another cause is not one", () => {
    expect(findFalseAlarm("EditPrefs check error: something else")).toBeUndefined();
  });

  it("every false alarm pattern matches a recorded line", () => {
    const recorded = [...RECORDED_LOG_NAMES.flatMap(readRecordedLog), CLEAR_IPTABLES, CLEAR_IPTABLES.replace("clear iptables", "clear ip6tables")];
    for (const alarm of FALSE_ALARMS) {
      expect(recorded.some((line) => findFalseAlarm(line) === alarm), alarm.start).toBe(true);
    }
  });

  it("no recorded line of a failure class is taken for a false alarm", () => {
    for (const name of RECORDED_LOG_NAMES) {
      for (const line of readRecordedLog(name)) {
        if (/^(Received error|panic|fatal error|getLocalBackend error|Switching ipn state|health\()/.test(line)) expect(classifyTailscaledLine(line).kind, line).not.toBe("false-alarm");
      }
    }
  });
});
