// The loggers once the log ring exists: `log` prints each line it logs and keeps it in the ring;
// `quiet` (tailscaled's lines the RouterOS log is spared) prints nothing and keeps every level.
import { describe, expect, it } from "vitest";
import type { LogFormat, LogLevel } from "../../../src/core/log/format-line.ts";
import { createRingLoggers } from "../../../src/core/log/ring-loggers.ts";

function setUp(level: LogLevel = "info", format: LogFormat = "plain") {
  const printed: string[] = [];
  const kept: string[] = [];
  const loggers = createRingLoggers({ format, level, now: () => 1_700_000_000_000, print: (line) => printed.push(line), ring: { add: (line) => kept.push(line), flush: () => undefined } });
  return { ...loggers, printed, kept };
}

describe("createRingLoggers", () => {
  it("log: prints each line of the supervisor and keeps the same line in the ring", () => {
    const { log, printed, kept } = setUp();
    log.info("started", { version: "0.1.0" });
    log.child("preflight").warn("no tun");
    expect(printed).toEqual(["INFO supervisor: started version=0.1.0\n", "WARN preflight: no tun\n"]);
    expect(kept).toEqual(printed);
  });

  it("log: a line below the level is neither printed nor kept", () => {
    const { log, printed, kept } = setUp("warn");
    log.info("routine");
    log.debug("detail", { n: 1 });
    log.error("broken");
    expect(printed).toEqual(["ERROR supervisor: broken\n"]);
    expect(kept).toEqual(["ERROR supervisor: broken\n"]);
  });

  it("quiet: only kept, as component tailscaled, at every level whatever TS_LOG_LEVEL says", () => {
    const { quiet, printed, kept } = setUp("error");
    quiet.debug("magicsock: disco ping");
    quiet.info("netmap: self: [abc] auth=machine-authorized");
    expect(printed).toEqual([]);
    expect(kept).toEqual(["DEBUG tailscaled: magicsock: disco ping\n", "INFO tailscaled: netmap: self: [abc] auth=machine-authorized\n"]);
  });

  it("JSON lines in both, with the clock's time", () => {
    const { log, quiet, printed, kept } = setUp("info", "json");
    log.info("started");
    quiet.info("Start");
    expect(printed.map((line) => JSON.parse(line) as unknown)).toEqual([{ time: 1_700_000_000_000, level: "info", component: "supervisor", msg: "started" }]);
    expect(kept.map((line) => JSON.parse(line) as unknown)).toEqual([
      { time: 1_700_000_000_000, level: "info", component: "supervisor", msg: "started" },
      { time: 1_700_000_000_000, level: "info", component: "tailscaled", msg: "Start" },
    ]);
  });
});
