// A stop request: made once (the first signal counts), seen by every phase, its listeners called once.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { createStopRequest, STOP_SIGNALS } from "../../../src/core/process/stop-request.ts";

describe("createStopRequest", () => {
  it("is not made until requested", () => {
    const stop = createStopRequest();
    expect([stop.signal, stop.atMs]).toEqual([undefined, undefined]);
  });

  it("keeps the first request, and calls each listener once", () => {
    const stop = createStopRequest();
    const calls: string[] = [];
    stop.onRequest(() => calls.push("a"));
    stop.onRequest(() => calls.push("b"));
    stop.request(SIGNAL.TERM, 1000);
    stop.request(SIGNAL.INT, 2000);
    expect([stop.signal, stop.atMs, calls]).toEqual([SIGNAL.TERM, 1000, ["a", "b"]]);
  });

  it("a listener added after the request is called at once", () => {
    const stop = createStopRequest();
    stop.request(SIGNAL.QUIT, 5);
    const calls: number[] = [];
    stop.onRequest(() => calls.push(1));
    expect(calls).toEqual([1]);
  });

  it("the stop signals are TERM, INT and QUIT (HUP, USR1, USR2 are tailscaled's)", () => {
    expect(STOP_SIGNALS).toEqual([SIGNAL.TERM, SIGNAL.INT, SIGNAL.QUIT]);
  });
});
