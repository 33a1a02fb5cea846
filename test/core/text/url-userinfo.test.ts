// The user:password@ part of URLs in any text, found in linear time.
import { describe, expect, it } from "vitest";
import { findUserinfoInWord, findUserinfoSpans, replaceUserinfo } from "../../../src/core/text/url-userinfo.ts";

describe("findUserinfoSpans and replaceUserinfo", () => {
  it.each([
    ["https://user:pass@host/path", "https://X@host/path"],
    ["see http://a@b and ftp://c:d@e:21/x?y", "see http://X@b and ftp://X@e:21/x?y"],
    ["svn+ssh://me@host", "svn+ssh://X@host"],
    ["https://u:p@q@host", "https://X@host"],
    ["https://host/path@not-userinfo", "https://host/path@not-userinfo"],
    ["https://host?q=a@b", "https://host?q=a@b"],
    ['"https://u:p@h"', '"https://X@h"'],
    ["no url here, a@b", "no url here, a@b"],
    ["://user@host", "://user@host"],
    ["1://user@host", "1://user@host"],
    ["x1://user@host", "x1://user@host".replace("user", "X")],
    ["https://@host", "https://X@host"],
  ])("%j → %j", (text, replaced) => {
    expect(replaceUserinfo(text, "X")).toBe(replaced);
  });

  it("gives the span of each userinfo, the @ excluded", () => {
    expect(findUserinfoSpans("a https://u:p@h b http://v@w")).toEqual([
      { start: 10, end: 13 },
      { start: 25, end: 26 },
    ]);
  });

  it("a scheme is at most 32 characters back from ://, starting with a letter", () => {
    expect(findUserinfoSpans(`${"a".repeat(40)}://u@h`)).toEqual([{ start: 43, end: 44 }]);
    expect(findUserinfoSpans(`${"1".repeat(40)}://u@h`)).toEqual([]);
  });

  it("takes time linear in the text: a long run of letters before many ://", () => {
    const text = `${"a".repeat(200_000)}${"://".repeat(10_000)}`;
    expect(findUserinfoSpans(text)).toEqual([]);
  });
});

describe("findUserinfoInWord", () => {
  it.each([
    ["--login-server=https://user:pa ss@host", "user:pa ss"],
    ["https://u@h", "u"],
    ["https://h", undefined],
    ["https://@h", undefined],
    ["user@host", undefined],
    ["1://u@h", undefined],
    ["1://x a://u@h", "u"],
  ])("%j → %j", (word, userinfo) => {
    const span = findUserinfoInWord(word);
    expect(span === undefined ? undefined : word.slice(span.start, span.end)).toBe(userinfo);
  });
});
