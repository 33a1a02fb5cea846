// Traffic through the subnet router, in the topology (test/lab/topology.ts): the tailnet client
// reaching the LAN host (ping and HTTP) and the LAN host reaching the client back, each polled with a
// deadline. Shared by the image tests, the sandbox (`npm start`) and the benchmark.
import { TOPOLOGY, type Namespaces, type Topology } from "./topology.ts";

type Where = keyof Namespaces;

/** One check that passed: what, how long it took to pass, and what came back. */
export interface TrafficResult {
  readonly name: string;
  readonly ms: number;
  readonly detail: string;
}

/** One ICMP echo from a namespace (the host's busybox); the round trip in ms when it was answered. */
export async function pingOnce(topology: Pick<Topology, "exec">, from: Where, address: string, waitS = 2): Promise<number | undefined> {
  const result = await topology.exec(from, ["busybox", "ping", "-c", "1", "-W", String(waitS), address], { timeoutMs: (waitS + 10) * 1000 });
  if (result.exitCode !== 0) return undefined;
  const rtt = /time=([\d.]+) ms/.exec(result.stdout)?.[1];
  return rtt === undefined ? 0 : Number(rtt);
}

/**
 * An HTTP GET of / over TCP from a namespace, with bash's /dev/tcp (Debian's static busybox wget
 * crashes in glibc's static resolver, even for an address). The response, or "" when it failed.
 */
export async function httpGet(topology: Pick<Topology, "exec">, from: Where, address: string, port = 80): Promise<string> {
  const script = `exec 3<>/dev/tcp/${address}/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3`;
  return (await topology.exec(from, ["timeout", "10", "bash", "-c", script])).stdout;
}

/** The four checks, in the order `npm start` shows them. */
export function trafficChecks(clientIp: string): ReadonlyArray<{ name: string; run: (topology: Pick<Topology, "exec">) => Promise<string | undefined> }> {
  const ping = (from: Where, address: string) => async (topology: Pick<Topology, "exec">) => {
    const rtt = await pingOnce(topology, from, address);
    return rtt === undefined ? undefined : `ping answered in ${rtt} ms`;
  };
  const http = (from: Where, address: string, page: string) => async (topology: Pick<Topology, "exec">) => {
    const response = await httpGet(topology, from, address);
    return response.includes(page) ? `HTTP GET http://${address}/ -> "${page}"` : undefined;
  };
  return [
    { name: `client ${clientIp} -> LAN host ${TOPOLOGY.lanHost} (ping)`, run: ping("client", TOPOLOGY.lanHost) },
    { name: `client ${clientIp} -> LAN host ${TOPOLOGY.lanHost} (HTTP)`, run: http("client", TOPOLOGY.lanHost, TOPOLOGY.lanPage) },
    { name: `LAN host ${TOPOLOGY.lanHost} -> client ${clientIp} (ping)`, run: ping("lan", clientIp) },
    { name: `LAN host ${TOPOLOGY.lanHost} -> client ${clientIp} (HTTP)`, run: http("lan", clientIp, TOPOLOGY.clientPage) },
  ];
}

/**
 * Runs the four checks in order, each retried every 0.5 s until it passes or `timeoutMs` (per check)
 * runs out; `onResult` hears of each as it passes. Throws naming the first check that never passed.
 */
export async function checkTrafficBothWays(topology: Pick<Topology, "exec">, clientIp: string, options: { timeoutMs?: number; onResult?: (result: TrafficResult) => void } = {}): Promise<TrafficResult[]> {
  const results: TrafficResult[] = [];
  for (const check of trafficChecks(clientIp)) {
    const startedAt = Date.now();
    const deadline = startedAt + (options.timeoutMs ?? 60_000);
    for (;;) {
      const detail = await check.run(topology);
      if (detail !== undefined) {
        const result = { name: check.name, ms: Date.now() - startedAt, detail };
        results.push(result);
        options.onResult?.(result);
        break;
      }
      if (Date.now() > deadline) throw new Error(`traffic check failed: ${check.name} (tried for ${Math.round((Date.now() - startedAt) / 1000)} s)`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return results;
}
