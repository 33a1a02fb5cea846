// Printable ASCII for every line the supervisor writes.
import { describe, expect, it } from "vitest";
import { escapeToAscii, isPrintableAscii } from "../../../src/core/text/ascii.ts";

describe("escapeToAscii", () => {
  it.each([
    ["plain text ~!", "plain text ~!"],
    ["", ""],
    ["a\nb", "a\\nb"],
    ["a\tb", "a\\tb"],
    ["bell\u0007", "bell\\u0007"],
    ["del\u007f", "del\\u007f"],
    ["café", "caf\\u00e9"],
    ["日", "\\u65e5"],
    ["\r\n", "\\u000d\\n"],
  ])("%j → %j", (text, escaped) => {
    expect(escapeToAscii(text)).toBe(escaped);
    expect(isPrintableAscii(escapeToAscii(text))).toBe(true);
  });

  it("the escaped text is a valid JSON string body", () => {
    expect(JSON.parse(`"${escapeToAscii("x\ny\t\u0001é")}"`)).toBe("x\ny\t\u0001é");
  });
});

describe("isPrintableAscii", () => {
  it.each([
    [" ~", true],
    ["", true],
    ["\u001f", false],
    ["\u007f", false],
    ["é", false],
  ])("%j: %s", (text, printable) => {
    expect(isPrintableAscii(text)).toBe(printable);
  });
});
