// A configuration problem names the variable, what is wrong and the fix; the value only when there is one.
import { describe, expect, it } from "vitest";
import { createIssue } from "../../../src/core/config/config-issue.ts";

describe("createIssue", () => {
  it("leaves the value out when there is none to show", () => {
    expect(createIssue("TS_PORT", "is not a port number", "set it")).toEqual({ variable: "TS_PORT", problem: "is not a port number", fix: "set it" });
    expect(Object.keys(createIssue("TS_PORT", "p", "f"))).toEqual(["variable", "problem", "fix"]);
    expect(createIssue("TS_PORT", "p", "f", "")).toEqual({ variable: "TS_PORT", value: "", problem: "p", fix: "f" });
  });
});
