// The logger: plain or JSON lines, a component per child, levels; its direct path for a message without fields.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/core/log/logger.ts";
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "../../../src/core/log/format-line.ts";

function capture(format: LogFormat, level: LogLevel) {
  const lines: string[] = [];
  const log = createLogger({ format, level, component: "supervisor", write: (line) => lines.push(line), now: () => 42 });
  return { log, lines };
}

describe("createLogger", () => {
  it("writes plain lines with the component of each child", () => {
    const { log, lines } = capture("plain", "info");
    log.info("starting", { version: "1" });
    log.child("config").warn("configuration warning", { variable: "TS_X" });
    log.child("preflight").child("tun").error("missing");
    expect(lines).toEqual(["INFO supervisor: starting version=1\n", "WARN config: configuration warning variable=TS_X\n", "ERROR tun: missing\n"]);
  });

  it("drops events below the level", () => {
    const { log, lines } = capture("plain", "warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    expect(lines).toEqual(["WARN supervisor: w\n"]);
  });

  it("writes debug lines at level debug", () => {
    const { log, lines } = capture("plain", "debug");
    log.debug("d", { a: 1 });
    expect(lines).toEqual(["DEBUG supervisor: d a=1\n"]);
  });

  it("writes JSON lines with the clock's time", () => {
    const { log, lines } = capture("json", "info");
    log.child("config").info("loaded", { routes: 2 });
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ time: 42, level: "info", component: "config", msg: "loaded", routes: 2 }]);
  });
});

describe("createLogger's direct path for a message without fields", () => {
  const captureAt = (format: LogFormat, level: LogLevel) => {
    const lines: string[] = [];
    const log = createLogger({ format, level, component: "supervisor", write: (line) => lines.push(line), now: () => 1_764_111_111_111 });
    return { log, lines };
  };
  const methods = ["debug", "info", "warn", "error"] as const;

  it.each(LOG_FORMATS.flatMap((format) => LOG_LEVELS.filter((level) => level !== "fatal").map((level) => [format, level] as const)))("%s at level %s: the same lines as through pino", (format, level) => {
    const direct = captureAt(format, level);
    const viaPino = captureAt(format, level);
    for (const method of methods) {
      for (const msg of ["plain text", 'quote " and \\ and = sign', "tab\there\u001b[31m é \u2028", "{\"looks\":\"like json\"}"]) {
        direct.log.child("tailscaled")[method](msg);
        viaPino.log.child("tailscaled")[method](msg, {});
      }
    }
    expect(direct.lines).toEqual(viaPino.lines);
    const shown = methods.slice(Math.max(0, LOG_LEVELS.indexOf(level)));
    expect(direct.lines).toHaveLength(shown.length * 4);
  });
});
