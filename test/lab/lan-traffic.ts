// The LAN scenarios' traffic checks (test/image/lan-*.test.ts, the sandbox's --scenario): ping, a GET
// of an echo page (test/lab/echo-server.mjs) that tells whose address the request carried, a name
// looked up at 100.100.100.100; each polled until it works, or watched to keep failing.
import type { Namespaces, Topology } from "./topology.ts";
import { httpGet, pingOnce } from "./traffic.ts";

type Where = keyof Namespaces;
const POLL_MS = 500;

/** One ping answered: "ping answered in N ms", or undefined. */
export async function pingCheck(topology: Pick<Topology, "exec">, from: Where, address: string): Promise<string | undefined> {
  const rtt = await pingOnce(topology, from, address);
  return rtt === undefined ? undefined : `ping answered in ${rtt} ms`;
}

/** The address the echo page at `address` saw the request come from, or undefined when no answer came. */
export async function seenAddress(topology: Pick<Topology, "exec">, from: Where, address: string): Promise<string | undefined> {
  const page = await httpGet(topology, from, address);
  return /; you are (\S+)/.exec(page)?.[1];
}

/** `busybox nslookup NAME SERVER`: the IPv4 addresses in the answer (empty when there was none). */
export async function lookUp(topology: Pick<Topology, "exec">, from: Where, name: string, server: string): Promise<string[]> {
  const result = await topology.exec(from, ["busybox", "nslookup", "-type=a", name, server], { timeoutMs: 15_000 });
  const answer = result.stdout.split(/\n\s*\n/).slice(1).join("\n");
  return [...answer.matchAll(/^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((match) => match[1] ?? "");
}

/** Polls `probe` until it gives a value; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: no success within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Tries `probe` for `forMs`; throws naming `what` and its answer if it ever succeeds. */
export async function neverWithin<T>(what: string, probe: () => Promise<T | undefined>, forMs: number): Promise<void> {
  const deadline = Date.now() + forMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) throw new Error(`${what} succeeded (${String(value)}), expected it to fail`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
