// `npm run bench [-- NAME]`: the one benchmark harness. Each benchmark prints medians beside a
// baseline measured in the same run (never an assertion: these machines are shared), progress on
// stderr, its table on stdout. Settings are environment variables (see each file's header and
// test/lab/bench/README.md). Run as root.
//   npm run bench                          entrypoints, then throughput
//   npm run bench -- entrypoints           this image against containerboot and a bare baseline (entrypoints.ts)
//   npm run bench -- throughput            iperf3 through the subnet router against the limit (throughput/)
//   npm run bench -- memory                tailscaled's memory under container limits and GOMEMLIMIT (memory/)
//   npm run bench -- outage-to-running     the same three started while Headscale is down
//   npm run bench -- outage-log-lines      the lines each prints while Headscale is down
//   npm run bench -- config-cost           validating large environments under qjs
//   npm run bench -- log-flood             the log relay under a flood, against an older bundle
//   npm run bench -- log-volume            the lines each entrypoint writes over a node's life
//   npm run bench -- health-cost           what a `health` check costs in a Running container
/** Each benchmark: what it measures, and its file (imported only when chosen: each runs on import). */
export const BENCHES: Record<string, { what: string; run: () => Promise<unknown> }> = {
  entrypoints: { what: "this image against containerboot and a bare baseline, in the topology", run: () => import("./entrypoints.ts") },
  "outage-to-running": { what: "the three entrypoints started while Headscale is down: its return → logged in, Running", run: () => import("./outage/outage-to-running.ts") },
  "outage-log-lines": { what: "the lines each entrypoint prints while Headscale is down", run: () => import("./outage/outage-log-lines.ts") },
  throughput: { what: "iperf3 through the subnet router: the limit, bare, containerboot (userspace, kernel), this image (standard, tiny)", run: () => import("./throughput/throughput.ts") },
  memory: { what: "tailscaled's RSS with the container's memory limited (64, 128 MiB) and GOMEMLIMIT; its cost in throughput", run: () => import("./memory/memory.ts") },
  "config-cost": { what: "validating large environments under qjs, in-process and end to end", run: () => import("./config-cost/config-cost.ts") },
  "log-flood": { what: "the log relay under a flood of recorded tailscaled lines, against an older bundle", run: () => import("./log-flood.ts") },
  "log-volume": { what: "the lines each entrypoint writes to the container log: first boot, restart, idle, outage, crash", run: () => import("./log-volume.ts") },
  "health-cost": { what: "what a `health` check costs in a Running container, against one tailscale CLI exec", run: () => import("./health-cost.ts") },
};

/** What `npm run bench` with no name runs, one after the other. */
const DEFAULT_BENCHES = ["entrypoints", "throughput"] as const;

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHES[name];
if (name === undefined) {
  for (const each of DEFAULT_BENCHES) {
    await BENCHES[each]?.run();
    if (process.exitCode !== undefined && process.exitCode !== 0) break;
  }
} else if (bench === undefined) {
  const list = Object.entries(BENCHES).map(([key, { what }]) => `  npm run bench -- ${key.padEnd(18)} ${what}`).join("\n");
  process.stderr.write(`${name === "--help" || name === "-h" ? "" : `npm run bench: no benchmark named "${name}"; `}choose one of:\n${list}\n`);
  process.exitCode = name === "--help" || name === "-h" ? 0 : 1;
} else {
  await bench.run();
}
