import { describe, expect, it } from "vitest";
import { formatJsonLine, formatPlainLine, type LogRecord } from "../../../src/core/log/format-line.ts";

const record = (fields: Record<string, unknown>, msg = "route accepted"): LogRecord => ({ level: "warn", component: "config", msg, fields });

describe("formatPlainLine", () => {
  it.each([
    [{}, "WARN config: route accepted\n"],
    [{ route: "10.0.0.0/8" }, "WARN config: route accepted route=10.0.0.0/8\n"],
    [{ fix: "did you mean 10.0.0.0/8?" }, 'WARN config: route accepted fix="did you mean 10.0.0.0/8?"\n'],
    [{ empty: "" }, 'WARN config: route accepted empty=""\n'],
    [{ count: 3, ok: true }, "WARN config: route accepted count=3 ok=true\n"],
    [{ routes: ["a/1", "b/2"] }, "WARN config: route accepted routes=a/1,b/2\n"],
    [{ skipped: undefined, kept: 1 }, "WARN config: route accepted kept=1\n"],
    [{ error: new Error("boom") }, "WARN config: route accepted error=boom\n"],
    [{ text: "line1\nline2" }, 'WARN config: route accepted text="line1\\nline2"\n'],
    [{ text: "caf\u00e9" }, 'WARN config: route accepted text="caf\\u00e9"\n'],
    [{ text: "\u001b[31mred" }, 'WARN config: route accepted text="\\u001b[31mred"\n'],
    [{ text: 'say "x"' }, 'WARN config: route accepted text="say \\"x\\""\n'],
  ])("%j", (fields, line) => {
    expect(formatPlainLine(record(fields))).toBe(line);
  });

  it("is one ASCII line whatever the message holds", () => {
    const line = formatPlainLine(record({ a: "\u00ff\n\r\t" }, "m\u00e9ssage\nsecond"));
    expect(line).toMatch(/^[\x20-\x7e]*\n$/);
  });
});

describe("formatJsonLine", () => {
  it("puts time, level, component and message first", () => {
    expect(formatJsonLine(record({ route: "10.0.0.0/8" }), 1234)).toBe(
      '{"time":1234,"level":"warn","component":"config","msg":"route accepted","route":"10.0.0.0/8"}\n',
    );
  });

  it("is valid JSON in ASCII", () => {
    const line = formatJsonLine(record({ text: "caf\u00e9\n", error: new Error("x") }), 1);
    expect(line).toMatch(/^[\x20-\x7e]*\n$/);
    expect(JSON.parse(line)).toMatchObject({ text: "caf\u00e9\n", error: "x" });
  });
});
