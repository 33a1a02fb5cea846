// test/lab/routeros-script.ts, which the update-path test relies on to make the script's requests: its
// string expressions evaluated as RouterOS does for the subset the script uses, anything else refused.
import { describe, expect, it } from "vitest";
import { evaluate, readFetchCalls, readLocals, readSet, splitHeaderField } from "../lab/routeros-script.ts";

describe("reading a RouterOS script's requests", () => {
  it.each([
    ['"plain"', {}, "plain"],
    ['"a$x b"', { x: "1" }, "a1 b"],
    ['($x . "/v2/" . $y)', { x: "h", y: "r" }, "h/v2/r"],
    ['"q\\3Fa=1"', {}, "q?a=1"],
    ['"\\"quoted\\" \\$x \\\\"', {}, '"quoted" $x \\'],
    ['(("a" . $x) . "c")', { x: "b" }, "abc"],
    ["$tsToken", { tsToken: "t" }, "t"],
  ])("evaluate(%s) = %j", (expression, variables, expected) => {
    expect(evaluate(expression, variables as Record<string, string>)).toBe(expected);
  });

  it.each([
    ['"unterminated', /unterminated/],
    ["$missing", /\$missing is not set/],
    ['("a" . [:len "b"])', /unsupported expression/],
    ['"\\?"', /unsupported escape/],
    ['"a" "b"', /trailing text/],
    ['"$[:len x]"', /unsupported \$ form/],
  ])("evaluate(%s) is refused", (expression, error) => {
    expect(() => evaluate(expression, {})).toThrow(error);
  });

  const SCRIPT = [
    "# /tool/fetch url=$commented output=user",
    ':local tsHost "example.org"',
    ':local tsUrl ("https://" . $tsHost . "/x")',
    ":local tsOk true",
    "  :local tsInner [/tool/fetch url=$tsUrl output=user as-value]",
    '  :set tsHeaders ("A:b,C:" . $tsToken)',
    ":local tsReply [/tool/fetch url=$tsUrl http-header-field=$tsHeaders output=user-with-headers as-value]",
  ].join("\n");

  it("top-level :local strings in order (settings replaced), indented ones and non-strings left out; :set; the fetch calls, comments skipped", () => {
    expect(readLocals(SCRIPT, { tsHost: "127.0.0.1:5000" })).toEqual({ tsHost: "127.0.0.1:5000", tsUrl: "https://127.0.0.1:5000/x" });
    expect(() => readLocals(SCRIPT, { tsNoSuch: "x" })).toThrow(/sets no tsNoSuch/);
    expect(evaluate(readSet(SCRIPT, "tsHeaders"), { tsToken: "t" })).toBe("A:b,C:t");
    expect(readFetchCalls(SCRIPT)).toEqual([
      { urlVariable: "tsUrl", headerVariable: undefined, output: "user" },
      { urlVariable: "tsUrl", headerVariable: "tsHeaders", output: "user-with-headers" },
    ]);
  });

  it("http-header-field: Name:value pairs split on commas, an escaped comma kept", () => {
    expect(splitHeaderField("Accept:a/b,Authorization:Bearer x.y")).toEqual([["Accept", "a/b"], ["Authorization", "Bearer x.y"]]);
    expect(splitHeaderField("Accept:a\\,b")).toEqual([["Accept", "a,b"]]);
    expect(() => splitHeaderField("novalue")).toThrow(/not a Name:value/);
  });
});
