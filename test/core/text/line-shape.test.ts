// What a log line says once its counters, pointers and durations are set aside; addresses kept.
import { describe, expect, it } from "vitest";
import { shapeOfLine } from "../../../src/core/text/line-shape.ts";

describe("shapeOfLine", () => {
  it.each([
    ["magicsock: [0x1decf9bfc9a0] derp.Recv(derp-900): dial tcp4 127.0.0.1:1: connect: connection refused", "magicsock: [#] derp.Recv(derp-#): dial tcp# 127.0.0.1:1: connect: connection refused"],
    ['[RATELIMIT] format("%s: connecting to derp-%d (%v)") (32 dropped)', '[RATELIMIT] format("%s: connecting to derp-%d (%v)") (# dropped)'],
    ["derp-900: [v1] backoff: 357 msec", "derp-#: [v#] backoff: # msec"],
    ["magicsock: closing connection to derp-900 (rebind-no-localaddr), age 3s", "magicsock: closing connection to derp-# (rebind-no-localaddr), age #s"],
    // Addresses are what they are: a changed one is news.
    ['Rebind; defIf="veth0", ips=[192.0.2.2/24 fe80::4c3d:9ff:fe1f:a0a2/64]', 'Rebind; defIf="veth#", ips=[192.0.2.2/# fe80::4c3d:9ff:fe1f:a0a2/#]'],
    ["peer fd7a:115c:a1e0::1 at 192.0.2.2:50855", "peer fd7a:115c:a1e0::1 at 192.0.2.2:#"],
    ["no digits at all", "no digits at all"],
  ])("%s", (line, shape) => {
    expect(shapeOfLine(line)).toBe(shape);
  });

  it("takes time linear in the line: a long run of hexadecimal letters, then digits", () => {
    const line = `${"abcdef".repeat(50_000)} 1 ${"1234567890".repeat(30_000)}:x`;
    expect(shapeOfLine(line)).toBe(`${"abcdef".repeat(50_000)} # #:x`);
  });

  it("tells apart lines whose addresses differ", () => {
    expect(shapeOfLine("Rebind; ips=[192.0.2.2/24]")).not.toBe(shapeOfLine("Rebind; ips=[192.0.2.3/24]"));
    expect(shapeOfLine("route fd7a:115c:a1e0::1")).not.toBe(shapeOfLine("route fd7a:115c:a1e0::2"));
  });
});
