import { describe, expect, it } from "vitest";
import { splitShellWords } from "../../../../src/core/config/values/shell-split.ts";

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
    const split = splitShellWords(text);
    expect(split.problem).toBeUndefined();
    expect(split.words.map((word) => word.text)).toEqual(words);
  });

  it("says where each word was written, quotes included", () => {
    expect(splitShellWords(` --a "b c"  'd'e `).words).toEqual([
      { text: "--a", start: 1, end: 4 },
      { text: "b c", start: 5, end: 10 },
      { text: "de", start: 12, end: 16 },
    ]);
  });

  it.each([
    ["'open", "has an unclosed single quote"],
    ['"open', "has an unclosed double quote"],
    ["trailing\\", "ends with a lone backslash"],
  ])("%j cannot be split: %s", (text, problem) => {
    expect(splitShellWords(text).problem).toBe(problem);
  });

  it("still finds the words of a broken string: an unclosed quote runs to the end", () => {
    const split = splitShellWords(`--authkey="SEKRIT --accept-routes`);
    expect(split.words.map((word) => word.text)).toEqual(["--authkey=SEKRIT --accept-routes"]);
    expect(split.words[0]).toMatchObject({ start: 0, end: 33 });
  });

  it("takes time linear in the text (1 MB of quotes and words in well under a second)", () => {
    const text = String.raw`--a='x y' "b\"c" d\ e `.repeat(50_000);
    const started = performance.now();
    expect(splitShellWords(text).words).toHaveLength(150_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
