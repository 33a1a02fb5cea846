// During control-server trouble, tailscaled's lines that repeat one already logged, numbers aside,
// are held back, and the reminders say what was held back.
import { describe, expect, it } from "vitest";
import { createHeldBackLines } from "../../../../src/core/supervise/control/held-back-lines.ts";

describe("createHeldBackLines", () => {
  it("logs a shape once, counts its repeats, and names the most frequent ones", () => {
    const held = createHeldBackLines();
    const seen = (line: string) => held.shouldLog(line);
    expect(seen("magicsock: [0x1] derp.Recv(derp-900): refused")).toBe(true);
    expect(seen("control: doLogin(regen=false, hasUrl=false)")).toBe(true);
    for (let pointer = 2; pointer < 8; pointer += 1) expect(seen(`magicsock: [0x${pointer}] derp.Recv(derp-900): refused`)).toBe(false);
    expect(seen("control: doLogin(regen=false, hasUrl=false)")).toBe(false);
    for (const line of ["a 1", "b 1", "c 1", "d 1"]) seen(line);
    for (const line of ["a 2", "b 2", "c 2", "d 2", "d 3"]) seen(line);
    expect(held.count()).toBe(12);
    expect(held.describe()).toBe("6 like 'magicsock: [0x1] derp.Recv(derp-900): refused' (numbers differ), 2 like 'd 1' (numbers differ), 1 like 'control: doLogin(regen=false, hasUrl=false)', 3 more kinds (3 lines)");
    held.resetCounts();
    expect(held.count()).toBe(0);
    expect(held.describe()).toBe("");
    // Still known after a reminder; forgotten when the trouble is over.
    expect(seen("a 3")).toBe(false);
    held.forget();
    expect(seen("a 3")).toBe(true);
  });

  it("clips long examples and remembers at most 64 shapes (later ones are always logged)", () => {
    const held = createHeldBackLines();
    const long = `x${"y".repeat(100)}`;
    held.shouldLog(long);
    held.shouldLog(long);
    expect(held.describe()).toBe(`1 like '${long.slice(0, 60)}...'`);
    for (let index = 0; index < 100; index += 1) held.shouldLog(`line ${"z".repeat(index)}`);
    expect(held.shouldLog(`line ${"z".repeat(99)}`)).toBe(true);
    expect(held.shouldLog(`line ${"z".repeat(10)}`)).toBe(false);
  });
});
