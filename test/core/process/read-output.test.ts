// Reading a child's output after its exit: to its end, but bounded in time and bytes.
import { describe, expect, it } from "vitest";
import type { ExitStatus, ReadStream } from "../../../src/core/host.ts";
import { drainAfterExit, startReading } from "../../../src/core/process/read-output.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

/** A stream the test feeds by hand; `closed` tells whether the reader let go of it. */
function handStream() {
  let reader: ((chunk: Uint8Array | null) => void) | undefined;
  const state = { closed: false };
  const stream: ReadStream = {
    read: (onChunk) => void (reader = onChunk),
    close: () => void (state.closed = true),
  };
  return { stream, state, feed: (bytes: number) => reader?.(new Uint8Array(bytes)), end: () => reader?.(null) };
}

const EXITED: ExitStatus = { kind: "exited", code: 2 };

describe("drainAfterExit", () => {
  it("resolves once the output ended after the exit", async () => {
    const host = createFakeHost();
    const hand = handStream();
    let read = 0;
    const reading = startReading(hand.stream, (chunk) => (read += chunk.byteLength));
    let status: ExitStatus | undefined;
    void drainAfterExit(host.clock, Promise.resolve(EXITED), [reading]).then((value) => (status = value));
    await host.settle();
    hand.feed(100);
    await host.settle();
    expect(status).toBeUndefined();
    hand.end();
    await host.settle();
    expect(status).toEqual(EXITED);
    expect(read).toBe(100);
  });

  it("stops waiting after maxMs when the pipe never ends (a leftover child holds it), and closes it", async () => {
    const host = createFakeHost();
    const hand = handStream();
    let ended = 0;
    const reading = startReading(hand.stream, () => undefined, () => (ended += 1));
    const status = await host.drive(drainAfterExit(host.clock, Promise.resolve(EXITED), [reading], { maxMs: 1000, maxBytes: 1024 }));
    expect(status).toEqual(EXITED);
    expect(host.elapsed()).toBe(1000);
    expect(hand.state.closed).toBe(true);
    expect(ended).toBe(1);
  });

  it("stops reading after maxBytes more once the child exited", async () => {
    const host = createFakeHost();
    const hand = handStream();
    let read = 0;
    const reading = startReading(hand.stream, (chunk) => (read += chunk.byteLength));
    hand.feed(5000);
    const pending = drainAfterExit(host.clock, Promise.resolve(EXITED), [reading], { maxMs: 60_000, maxBytes: 1024 });
    await host.settle();
    for (let chunk = 0; chunk < 10; chunk += 1) hand.feed(512);
    expect(await pending).toEqual(EXITED);
    expect(read).toBe(5000 + 1024);
    expect(hand.state.closed).toBe(true);
  });
});
