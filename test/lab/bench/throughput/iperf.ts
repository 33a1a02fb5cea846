// iperf3 (Debian's, installed by test/setup/provision-system-packages.sh) between the topology's
// tailnet client and its LAN host: the server on the LAN host for a whole benchmark, one client run
// per measurement from the client's namespace. The client always opens the connection; `reverse`
// makes the LAN host the sender (iperf3 -R), so both directions work even where only the client can
// open connections (a userspace subnet router).
import { TOPOLOGY, type Spawned, type Topology } from "../../topology.ts";

/** What one measurement sends: TCP as fast as it goes, or UDP at an offered rate (receiver's figures). */
export type Protocol = "tcp" | "udp";

/** One iperf3 test: protocol and direction (the LAN host sends when `reverse`). */
export interface IperfTest {
  readonly id: string;
  readonly title: string;
  readonly protocol: Protocol;
  readonly reverse: boolean;
}

/** The four tests every subject runs, in this order. */
export const IPERF_TESTS: readonly IperfTest[] = [
  { id: "tcp-up", title: "TCP client → LAN host", protocol: "tcp", reverse: false },
  { id: "tcp-down", title: "TCP LAN host → client", protocol: "tcp", reverse: true },
  { id: "udp-up", title: "UDP client → LAN host", protocol: "udp", reverse: false },
  { id: "udp-down", title: "UDP LAN host → client", protocol: "udp", reverse: true },
];

/**
 * UDP datagrams of 1200 bytes: they fit tailscale0's MTU of 1280 with their headers, so no subject
 * pays for IP fragments (iperf3's default of 1460 would be cut in two inside the tunnel).
 */
export const UDP_PAYLOAD_BYTES = 1200;
/** The first second (TCP slow start, ARP, a new WireGuard path) is left out of the figures. */
export const OMIT_S = 1;
const PORT = 5201;

/** What the receiving side counted. */
export interface IperfResult {
  readonly bitsPerSecond: number;
  readonly bytes: number;
  /** UDP only: datagrams lost, percent. */
  readonly lostPercent: number | undefined;
}

/** Starts the iperf3 server on the LAN host (until `kill()`); resolves once it accepts connections. */
export async function startIperfServer(topology: Pick<Topology, "spawn" | "exec">): Promise<Spawned> {
  const server = topology.spawn("lan", ["iperf3", "--server", "--port", String(PORT), "--bind", TOPOLOGY.lanHost]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const listening = await topology.exec("lan", ["bash", "-c", `true 3<>/dev/tcp/${TOPOLOGY.lanHost}/${PORT}`]);
    if (listening.exitCode === 0) return server;
    if (Date.now() > deadline) {
      server.kill("SIGKILL");
      throw new Error("iperf3 --server did not listen on the LAN host within 10 s (is iperf3 installed? test/setup/provision-system-packages.sh)");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The client's argv for one test of `seconds` (plus the omitted first second). UDP is offered at
 * `udpMbit`: blasting it (iperf3 -b 0) floods the tunnel, and what arrives then says more about
 * drops under overload than about the router (and CPU per GB would count the dropped datagrams).
 */
export function iperfClientArgs(test: IperfTest, seconds: number, udpMbit: number): string[] {
  return [
    "iperf3", "--client", TOPOLOGY.lanHost, "--port", String(PORT), "--time", String(seconds), "--omit", String(OMIT_S), "--json", "--connect-timeout", "5000",
    ...(test.reverse ? ["--reverse"] : []),
    ...(test.protocol === "udp" ? ["--udp", "--bitrate", `${udpMbit}M`, "--length", String(UDP_PAYLOAD_BYTES)] : []),
  ];
}

/** Reads iperf3's JSON: the receiver's sum (sum_received, which is the receiving side in both directions). */
export function parseIperfJson(text: string): IperfResult {
  const document = JSON.parse(text) as { error?: string; end?: { sum_received?: { bits_per_second?: number; bytes?: number; lost_percent?: number } } };
  if (document.error !== undefined) throw new Error(`iperf3: ${document.error}`);
  const received = document.end?.sum_received;
  if (received?.bits_per_second === undefined || received.bytes === undefined) throw new Error("iperf3 printed no sum_received");
  return { bitsPerSecond: received.bits_per_second, bytes: received.bytes, lostPercent: received.lost_percent };
}

/** How often a test is tried: iperf3's control connection is sometimes reset under load ("unable to receive control message"). */
const ATTEMPTS = 3;

/** Runs one test from the tailnet client's namespace (the server must be up); a failed attempt is tried again, twice. */
export async function runIperf(topology: Pick<Topology, "exec">, test: IperfTest, seconds: number, udpMbit: number): Promise<IperfResult> {
  let last: Error | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const run = await topology.exec("client", iperfClientArgs(test, seconds, udpMbit), { timeoutMs: (seconds + OMIT_S + 30) * 1000 });
    try {
      return parseIperfJson(run.stdout);
    } catch (error) {
      last = new Error(`${test.title}: ${error instanceof Error ? error.message : String(error)} (exit ${run.exitCode}, attempt ${attempt} of ${ATTEMPTS}) ${run.stderr.slice(-500)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw last ?? new Error(`${test.title}: no attempt made`);
}
