import { describe, expect, it } from "vitest";
import { splitShellWords } from "../../../src/core/config/shell-split.ts";

describe("splitShellWords", () => {
  it.each([
    ["", []],
    ["  ", []],
    ["--a --b", ["--a", "--b"]],
    ["  --a\t--b \n", ["--a", "--b"]],
    ["--hostname='my router'", ["--hostname=my router"]],
    ['--hostname="my router"', ["--hostname=my router"]],
    ['"a b" c', ["a b", "c"]],
    ["a\\ b", ["a b"]],
    ["''", [""]],
    ['"say \\"hi\\""', ['say "hi"']],
    ["'no \\escape'", ["no \\escape"]],
    ['"keep \\n"', ["keep \\n"]],
    ["a'b'c", ["abc"]],
  ])("%j → %j", (text, words) => {
    expect(splitShellWords(text)).toEqual({ ok: true, words });
  });

  it.each([
    ["'open", "has an unclosed single quote"],
    ['"open', "has an unclosed double quote"],
    ["trailing\\", "ends with a lone backslash"],
  ])("%j cannot be split: %s", (text, problem) => {
    expect(splitShellWords(text)).toEqual({ ok: false, problem });
  });
});
