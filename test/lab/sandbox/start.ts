// `npm start`: the sandbox. Checks the options, removes what a killed earlier run left, provisions
// the tools, builds and loads the image, runs the demo (demo.ts), prints what to try next and follows
// the container's log until Ctrl-C (or SIGTERM/SIGHUP), then removes everything it made.
import { podman } from "../podman.ts";
import { formatRouterOsLine, readLog } from "./container-log.ts";
import { buildAndLoadImage, binfmt, provisionTools } from "./image.ts";
import { parseStartOptions, START_USAGE, type StartOptions } from "./options.ts";
import { runDemo, type DemoState } from "./demo.ts";
import { findScenario } from "./scenarios/index.ts";
import { isAlive, NAME_VARIABLE, readSession, recordProcess, sandboxName, writeSession, type ProcessRecord, type SessionRecord } from "./session.ts";
import { leftovers, tearDown } from "./teardown.ts";
import { tryNext } from "./try-next.ts";

const say = (line: string): void => void process.stdout.write(`      ${line}\n`);
const shout = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const parsed = parseStartOptions(process.argv.slice(2));
  if (!parsed.ok) {
    for (const problem of parsed.problems) shout(`npm start: ${problem}`);
    return 2;
  }
  const options = parsed.options;
  if (options.help) {
    shout(START_USAGE);
    return 0;
  }
  if (process.getuid?.() !== 0) {
    shout("npm start: the sandbox makes network namespaces and runs podman: run it as root (sudo npm start)");
    return 1;
  }
  let name: string;
  try {
    name = sandboxName();
  } catch (error) {
    shout(`npm start: ${(error as Error).message}`);
    return 2;
  }
  const self = recordProcess(process.pid, "npm start") as ProcessRecord;
  const previous = readSession(name);
  if (previous !== undefined && isAlive(previous.owner) && previous.owner.pid !== process.pid) {
    shout(`npm start: a sandbox named ${name} is running already (npm start, pid ${previous.owner.pid}): press Ctrl-C there, or run \`npm run sandbox -- down\`, or set ${NAME_VARIABLE}=another-name for a second one`);
    return 1;
  }
  shout(`Tailscale supervisor sandbox "${name}": the ${options.variant} ${options.arch} image as a RouterOS container, against an embedded Headscale.`);
  shout("Ctrl-C stops it and removes every namespace, process and container it made.");
  const left = await leftovers(name);
  if (left.length > 0) {
    shout(`\nA killed earlier run left: ${left.join(", ")}; removing it first:`);
    await tearDown(name, say, self);
  }
  return runSandbox(name, options, self);
}

async function runSandbox(name: string, options: StartOptions, self: ProcessRecord): Promise<number> {
  const record: SessionRecord = { name, owner: self, variant: options.variant, arch: options.arch, processes: [self] };
  writeSession(record);
  const state: DemoState = {};
  const scenario = options.scenario === undefined ? undefined : findScenario(options.scenario);
  const total = 7 + (scenario?.steps ?? 0);
  let current = 0;
  const step = (title: string) => shout(`\n[${++current}/${total}] ${title}`);
  const emulated = options.arch !== "amd64";

  let stopping: NodeJS.Signals | undefined;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) return shout(`(${signal}: still cleaning up, one moment)`);
    stopping = signal;
    shout(`\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping the container and removing everything the sandbox made`);
    wake();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  let failure: Error | undefined;
  const demo = (async () => {
    step("tools: podman, Headscale and the client's tailscaled (built from their Go modules the first time: minutes)");
    await provisionTools(say);
    step(`image: npm run image -- --arch ${options.arch} --variant ${options.variant} (cached per component; a first build takes ~10 minutes)`);
    if (emulated) await binfmt("acquire", `sandbox-${name}`, process.pid);
    const { archive, image } = await buildAndLoadImage(options.variant, options.arch, say);
    say(`${archive} loaded into podman`);
    const context = { record, image, variant: options.variant, arch: options.arch, step, say };
    if (stopping === undefined) await runDemo(context, state);
    if (stopping === undefined && scenario !== undefined && state.topology !== undefined) await scenario.run({ context, state, topology: state.topology });
  })().catch((error: unknown) => void (failure = error instanceof Error ? error : new Error(String(error))));
  await Promise.race([demo, stopped]);

  if (stopping === undefined && failure === undefined) {
    shout(tryNext(record));
  } else if (stopping === undefined && failure !== undefined) {
    shout(`\nFAILED: ${failure.message}`);
    if (!options.keep) shout("(npm start -- --keep leaves everything up after a failure, to look at)");
    if (options.keep) shout("--keep: everything stays up to look at (npm run sandbox -- help); Ctrl-C or `npm run sandbox -- down` removes it.");
  }
  if (stopping === undefined && (failure === undefined || options.keep)) await stopped;
  // Let a step that was running when Ctrl-C came settle (its children got the signal too).
  await Promise.race([demo, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  await shutDown(name, state, self, emulated);
  return failure !== undefined && stopping === undefined ? 1 : 0;
}

async function shutDown(name: string, state: DemoState, self: ProcessRecord, emulated: boolean): Promise<void> {
  state.follower?.stop();
  if (state.container !== undefined) {
    const since = state.follower?.lastTime() ?? 0;
    const stop = await state.container.stop(10);
    say(`podman stop ${state.container.name} (SIGTERM, as /container/stop): exit ${stop.exitCode} after ${(stop.ms / 1000).toFixed(1)} s; its last lines:`);
    for (const line of await readLog(state.container.name)) if (line.time.getTime() > since) say(`  ${formatRouterOsLine(state.container.name, line)}`);
    await podman(["rm", "-f", "-t", "0", state.container.name]);
    say(`removed container ${state.container.name}`);
  }
  if (state.topology !== undefined) {
    await state.topology.remove();
    say(`removed network namespaces ${Object.values(state.topology.ns).join(", ")}, stopped Headscale, the client and the pages`);
  }
  await tearDown(name, say, self);
  if (emulated) await binfmt("release", `sandbox-${name}`, process.pid);
  const left = await leftovers(name);
  shout(left.length === 0 ? `Sandbox ${name} removed: no namespaces, containers or processes of it are left.` : `Left behind (remove with npm run sandbox -- down): ${left.join(", ")}`);
}

process.exitCode = await main().catch((error: unknown) => {
  shout(`npm start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
process.exit();
