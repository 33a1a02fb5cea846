// Shortening user text for messages.
import { describe, expect, it } from "vitest";
import { clipText } from "../../../src/core/text/clip.ts";

describe("clipText", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["eleven chars", 10, "eleven cha...(12 characters)"],
    ["abc", 0, "...(3 characters)"],
  ])("%j at %i → %j", (text, max, clipped) => {
    expect(clipText(text, max)).toBe(clipped);
  });
});
