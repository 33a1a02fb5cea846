// `npm run bench -- throughput` (also part of `npm run bench`): iperf3 TCP and UDP through the subnet
// router in the topology, both directions, side by side in one run: the limit (the same path with no
// Tailscale), the bare baseline, containerboot (userspace, its default; and kernel TUN) and this
// image (standard and tiny). RUNS rounds, the subjects' order rotating each round; each container
// starts on fresh state, logs in, gets its route approved and a direct path before the tests.
//   RUNS=5 DURATION_S=8 UDP_MBIT=100 SUBJECTS=limit,bare,... npm run bench -- throughput   (as root; ~25 min)
import { loadavg } from "node:os";
import { rotated, withBenchLab } from "../lab-session.ts";
import { describeRun, progress, requireRoot, wholeNumber } from "../settings.ts";
import { IPERF_TESTS, startIperfServer } from "./iperf.ts";
import { measureContainer, measureLimit, type SubjectRun } from "./throughput-run.ts";
import { containerOf, SUBJECT_LABELS, subjectsSetting, variantsOf, type ThroughputSubjectId } from "./throughput-subjects.ts";
import { renderThroughput, toColumn } from "./throughput-table.ts";

async function main(): Promise<void> {
  requireRoot();
  const runs = wholeNumber("RUNS", 5, (value) => value >= 1);
  const seconds = wholeNumber("DURATION_S", 8, (value) => value >= 2);
  const udpMbit = wholeNumber("UDP_MBIT", 100, (value) => value >= 1);
  const load = { seconds, udpMbit };
  const subjects = subjectsSetting();
  // The derived images (bare, containerboot) come from standard's rootfs: the tailscaled every
  // image but tiny holds.
  await withBenchLab("standard", progress, async (lab) => {
    const { topology } = lab;
    const client = await topology.startClient();
    const server = await startIperfServer(topology);
    try {
      const results = new Map<ThroughputSubjectId, SubjectRun[]>(subjects.map((id) => [id, []]));
      const failures: string[] = [];
      for (let round = 1; round <= runs; round += 1) {
        for (const id of rotated(subjects, round - 1)) {
          const spec = containerOf(id, lab, topology);
          let run: SubjectRun;
          try {
            run = spec === undefined ? await measureLimit(topology, IPERF_TESTS, load) : await measureContainer(topology, client, spec, `${id}-${round}`, lab.workDir, IPERF_TESTS, load);
          } catch (error) {
            failures.push(`round ${round}, ${SUBJECT_LABELS[id]}: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`);
            progress(`round ${round}/${runs} ${id}: FAILED ${failures[failures.length - 1]}`);
            continue;
          }
          results.get(id)?.push(run);
          const summary = IPERF_TESTS.map((test) => `${test.id}=${((run.tests[test.id]?.bitsPerSecond ?? 0) / 1e6).toFixed(0)}Mbit/s${run.tests[test.id]?.cpuS === undefined ? "" : `/${run.tests[test.id]?.cpuS?.toFixed(2)}cpu-s`}`).join(" ");
          progress(`round ${round}/${runs} ${id}: ${summary} load=${loadavg()[0]?.toFixed(2)}`);
        }
      }
      const columns = subjects.map((id) => toColumn(id, SUBJECT_LABELS[id], results.get(id) ?? [], IPERF_TESTS, seconds));
      const failed = failures.length === 0 ? "" : `\n\nRuns that failed (not counted):\n${failures.map((failure) => `- ${failure}`).join("\n")}`;
      process.stdout.write(`npm run bench -- throughput: RUNS=${runs} DURATION_S=${seconds} UDP_MBIT=${udpMbit}, ${describeRun()}\n\n${renderThroughput(columns, IPERF_TESTS, udpMbit)}${failed}\n`);
    } finally {
      server.kill("SIGTERM");
      await server.done;
    }
  }, variantsOf(subjects));
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- throughput: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
