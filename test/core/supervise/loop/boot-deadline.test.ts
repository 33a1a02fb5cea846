// The boot deadline: armed by the first start since Running, not moved by restarts, disarmed at
// Running; the deaths since it was armed; an old arming's event told apart from the current one.
import { describe, expect, it } from "vitest";
import { createBootDeadline } from "../../../../src/core/supervise/loop/boot-deadline.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const crash = { kind: "exited", code: 2 } as const;

function deadline(timeoutMs = 60_000) {
  const host = createFakeHost();
  const fired: number[] = [];
  return { host, fired, boot: createBootDeadline(host.clock, timeoutMs, (arming) => fired.push(arming)) };
}

describe("createBootDeadline", () => {
  it("fires TS_BOOT_TIMEOUT after the first start; restarts do not move it", () => {
    const { host, fired, boot } = deadline();
    boot.noteStart();
    host.advance(30_000);
    boot.noteDeath(crash);
    boot.noteStart();
    host.advance(29_999);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual([1]);
    expect(boot.isCurrent(1)).toBe(true);
    expect(boot.deaths()).toEqual({ count: 1, last: crash });
  });

  it("Running disarms it; the next start arms it anew, with the deaths counted from there", () => {
    const { host, fired, boot } = deadline(10_000);
    boot.noteStart();
    boot.noteDeath(crash);
    boot.noteStart();
    boot.noteRunning();
    host.advance(20_000);
    expect(fired).toEqual([]);
    boot.noteStart();
    expect(boot.deaths()).toEqual({ count: 0, last: undefined });
    expect([boot.isCurrent(1), boot.isCurrent(2)]).toEqual([false, true]);
    host.advance(10_000);
    expect(fired).toEqual([2]);
  });

  it("a start while armed keeps the arming (and its deaths)", () => {
    const { boot } = deadline();
    boot.noteStart();
    boot.noteDeath({ kind: "killed", signal: 9 });
    boot.noteDeath(crash);
    boot.noteStart();
    expect(boot.deaths()).toEqual({ count: 2, last: crash });
    expect(boot.isCurrent(1)).toBe(true);
  });

  it("stop: it never fires", () => {
    const { host, fired, boot } = deadline(1000);
    boot.noteStart();
    boot.stop();
    host.advance(5000);
    expect(fired).toEqual([]);
  });
});
