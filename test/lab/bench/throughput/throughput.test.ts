// The throughput benchmark's arithmetic and iperf3 plumbing: a wrong field or unit would misreport
// every figure of the table (rates, UDP losses, CPU per GB, shares of the limit).
import { describe, expect, it } from "vitest";
import { IPERF_TESTS, iperfClientArgs, parseIperfJson } from "./iperf.ts";
import { cpuSecondsPerGb, renderThroughput, toColumn } from "./throughput-table.ts";
import type { SubjectRun } from "./throughput-run.ts";

const test = (id: string) => IPERF_TESTS.find((candidate) => candidate.id === id) ?? IPERF_TESTS[0]!;
const run = (bitsPerSecond: number, cpuS: number | undefined): SubjectRun => ({
  tests: Object.fromEntries(IPERF_TESTS.map((each) => [each.id, { bitsPerSecond, bytes: 0, lostPercent: each.protocol === "udp" ? 1.5 : undefined, cpuS }])),
  rssRunningBytes: 20 * 1048576,
  rssPeakBytes: 30 * 1048576,
  cgroupPeakBytes: undefined,
  oomKills: undefined,
});

describe("iperf3", () => {
  it("asks the LAN host for TCP, reversed for the other direction, and UDP at the offered rate in datagrams that fit tailscale0", () => {
    expect(iperfClientArgs(test("tcp-up"), 8, 100)).toEqual(["iperf3", "--client", "192.168.88.10", "--port", "5201", "--time", "8", "--omit", "1", "--json", "--connect-timeout", "5000"]);
    expect(iperfClientArgs(test("tcp-down"), 8, 100)).toContain("--reverse");
    expect(iperfClientArgs(test("udp-down"), 8, 100).slice(-6)).toEqual(["--reverse", "--udp", "--bitrate", "100M", "--length", "1200"]);
  });

  it("reads the receiver's sum, the UDP loss with it, and iperf3's own error", () => {
    const document = { end: { sum_sent: { bits_per_second: 9e8, bytes: 9e8 }, sum_received: { bits_per_second: 3e8, bytes: 3.1e8, lost_percent: 2.5 } } };
    expect(parseIperfJson(JSON.stringify(document))).toEqual({ bitsPerSecond: 3e8, bytes: 3.1e8, lostPercent: 2.5 });
    expect(() => parseIperfJson(JSON.stringify({ error: "unable to connect to server" }))).toThrow("iperf3: unable to connect to server");
    expect(() => parseIperfJson(JSON.stringify({ end: {} }))).toThrow("no sum_received");
  });
});

describe("the figures", () => {
  it("CPU per GB counts the omitted first second on both sides: 1 s of CPU at 1 Gbit/s over 8+1 s is 1/1.125 s/GB", () => {
    expect(cpuSecondsPerGb(run(1e9, 1), test("tcp-up"), 8)).toBeCloseTo(1 / 1.125, 9);
    expect(cpuSecondsPerGb(run(1e9, undefined), test("tcp-up"), 8)).toBeUndefined();
    expect(cpuSecondsPerGb(run(0, 1), test("tcp-up"), 8)).toBeUndefined();
  });

  it("prints rates with ratios to the limit, CPU with ratios to bare, tiny against standard, and shares of the limit", () => {
    const columns = [
      toColumn("limit", "limit", [run(8e9, undefined), run(10e9, undefined)], IPERF_TESTS, 8),
      toColumn("bare", "bare", [run(5e8, 1)], IPERF_TESTS, 8),
      toColumn("standard", "standard", [run(6e8, 1)], IPERF_TESTS, 8),
      toColumn("tiny", "tiny", [run(3e8, 1)], IPERF_TESTS, 8),
    ];
    const text = renderThroughput(columns, IPERF_TESTS, 100);
    expect(text).toContain("| TCP client → LAN host, received | 9000 Mbit/s (8000 Mbit/s–10000 Mbit/s) | 500 Mbit/s ×0.06 (500 Mbit/s–500 Mbit/s) |");
    expect(text).toContain("| UDP LAN host → client (100 Mbit/s offered), received |");
    expect(text).toContain("| UDP client → LAN host, datagrams lost | 1.5 % (1.5 %–1.5 %) |");
    // 1 CPU second over 500 Mbit/s for 8 + 1 s (0.5625 GB); the limit has no container, no CPU row.
    expect(text).toContain("| TCP client → LAN host, container CPU per GB | 1.78 s/GB (1.78 s/GB–1.78 s/GB) | 1.48 s/GB ×0.83 (1.48 s/GB–1.48 s/GB) | 2.96 s/GB ×1.67 (2.96 s/GB–2.96 s/GB) |");
    expect(text).toContain("- TCP client → LAN host, received, tiny − standard: -300 Mbit/s (difference of medians); paired -300 Mbit/s");
    expect(text).toContain("- standard: tcp-up 7 %, tcp-down 7 %, udp-up 7 %, udp-down 7 %");
  });
});
