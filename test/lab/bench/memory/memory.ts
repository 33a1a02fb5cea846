// `npm run bench -- memory`: tailscaled's memory in this image (standard and tiny) with the
// container's memory limited (podman --memory 128m, 64m; as RouterOS's memory-high) and GOMEMLIMIT
// as the supervisor sets it or off, beside no limit and a tight GOMEMLIMIT: tailscaled's RSS once
// Running, its peak while iperf3 moves TCP both ways through the subnet router, the container's
// cgroup peak and OOM kills, and the throughput with its CPU per GB (ratios to standard with no
// limit, measured in the same rounds).
//   RUNS=3 DURATION_S=8 VARIANTS=standard,tiny npm run bench -- memory     (as root; ~25 min)
//   SETTINGS=128:chosen,128:off,128:112MiB ...   only these (limit in MiB or none : chosen, off or a GOMEMLIMIT)
import { loadavg } from "node:os";
import { subjectEnv } from "../entrypoint-run.ts";
import { renderFigureTable, type Column, type Row } from "../figure-table.ts";
import { rotated, withBenchLab } from "../lab-session.ts";
import { describeRun, progress, requireRoot, wholeNumber } from "../settings.ts";
import { IPERF_TESTS, startIperfServer } from "../throughput/iperf.ts";
import { measureContainer, type SubjectRun } from "../throughput/throughput-run.ts";
import { cpuRows, rateRows, toColumn } from "../throughput/throughput-table.ts";
import type { Variant } from "../../podman.ts";
import { memoryConfigs, parseSettings } from "./memory-configs.ts";

const TESTS = IPERF_TESTS.filter((test) => test.protocol === "tcp");
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
const MEMORY_ROWS: readonly Row[] = [
  { key: "rss-running", title: "tailscaled RSS, Running (before the tests)", format: mib },
  { key: "rss-peak", title: "tailscaled peak RSS (VmHWM, after the tests)", format: mib },
  { key: "cgroup-peak", title: "container peak (memory cgroup, page cache included)", format: mib },
  { key: "oom-kills", title: "processes the OOM killer ended", format: (value) => value.toFixed(0) },
];

function variantsSetting(): Variant[] {
  const raw = process.env["VARIANTS"] ?? "standard,tiny";
  const variants = raw.split(",").map((name) => name.trim());
  const unknown = variants.filter((name) => name !== "standard" && name !== "tiny");
  if (unknown.length > 0 || variants.length === 0) throw new Error(`VARIANTS=${raw}: standard, tiny or both`);
  return variants as Variant[];
}

async function main(): Promise<void> {
  requireRoot();
  const runs = wholeNumber("RUNS", 3, (value) => value >= 1);
  const seconds = wholeNumber("DURATION_S", 8, (value) => value >= 2);
  const load = { seconds, udpMbit: 1 };
  const configs = memoryConfigs(variantsSetting(), parseSettings(process.env["SETTINGS"]));
  await withBenchLab("standard", progress, async (lab) => {
    const { topology } = lab;
    const client = await topology.startClient();
    const server = await startIperfServer(topology);
    const results = new Map<string, SubjectRun[]>(configs.map((config) => [config.id, []]));
    const failures: string[] = [];
    try {
      for (let round = 1; round <= runs; round += 1) {
        for (const config of rotated(configs, round - 1)) {
          const image = lab.variantImages[config.variant];
          if (image === undefined) throw new Error(`the ${config.variant} image was not loaded`);
          const env = (key: string, hostname: string) => ({ ...subjectEnv("image", topology, key, hostname), ...(config.goMemLimit === undefined ? {} : { GOMEMLIMIT: config.goMemLimit }) });
          try {
            const run = await measureContainer(topology, client, { image, env, ...(config.memory === undefined ? {} : { memory: config.memory }) }, `mem-${config.id}-${round}`, lab.workDir, TESTS, load);
            results.get(config.id)?.push(run);
            progress(`round ${round}/${runs} ${config.label}: rss ${mib(run.rssRunningBytes ?? 0)} peak ${mib(run.rssPeakBytes ?? 0)} ${TESTS.map((test) => `${test.id}=${((run.tests[test.id]?.bitsPerSecond ?? 0) / 1e6).toFixed(0)}Mbit/s`).join(" ")} oom=${run.oomKills} load=${loadavg()[0]?.toFixed(2)}`);
          } catch (error) {
            failures.push(`round ${round}, ${config.label}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
            progress(`round ${round}/${runs} ${config.label}: FAILED ${failures[failures.length - 1]}`);
          }
        }
      }
    } finally {
      server.kill("SIGTERM");
      await server.done;
    }
    const columns: Column[] = configs.map((config) => {
      const runsOf = results.get(config.id) ?? [];
      const column = toColumn(config.id, config.label, runsOf, TESTS, seconds);
      return { ...column, values: { ...column.values, "cgroup-peak": runsOf.map((run) => run.cgroupPeakBytes), "oom-kills": runsOf.map((run) => run.oomKills) } };
    });
    const baseline = configs[0]?.id;
    const parts = [
      `npm run bench -- memory: RUNS=${runs} DURATION_S=${seconds}, ${describeRun()}`,
      "",
      renderFigureTable(columns, [...MEMORY_ROWS, ...rateRows(TESTS, load.udpMbit), ...cpuRows(TESTS)], baseline),
      ...(failures.length === 0 ? [] : ["", "Runs that failed (not counted):", ...failures.map((failure) => `- ${failure}`)]),
    ];
    process.stdout.write(`${parts.join("\n")}\n`);
  }, [...new Set(configs.map((config) => config.variant))]);
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- memory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
