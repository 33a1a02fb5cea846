// What a `npm start -- --scenario NAME` scenario is, and what every scenario does the same way:
// restarting the container with more variables (as /container/stop, /container/envs/add,
// /container/start do) and showing a check that passes or one that must keep failing.
import { podman } from "../../podman.ts";
import { startRouter } from "../../router.ts";
import type { Topology } from "../../topology.ts";
import { eventually, neverWithin } from "../../lan-traffic.ts";
import { recordProcesses, type DemoContext, type DemoState } from "../demo.ts";
import { LABEL, recordProcess, workDirOf } from "../session.ts";
import { join } from "node:path";

/** What a scenario gets: the demo's context and what the demo made (all of it there). */
export interface ScenarioRun {
  readonly context: DemoContext;
  readonly state: DemoState;
  readonly topology: Topology;
}

/** One scenario: its name for --scenario, what it shows, how many steps it adds, and the steps. */
export interface Scenario {
  readonly name: string;
  readonly what: string;
  readonly steps: number;
  run(run: ScenarioRun): Promise<void>;
}

const RUNNING = /INFO supervisor: tailscale is running .*/;

/**
 * Stops and removes the container and runs it again on the same state volume with `more` added to its
 * env list, saying the RouterOS commands that do the same; resolves with its Running line.
 */
export async function restartWith({ context, state, topology }: ScenarioRun, more: Record<string, string>): Promise<string> {
  const name = state.container?.name ?? `${context.record.name}-tailscale`;
  context.say(`/container/stop [find interface=veth-ts]`);
  for (const [key, value] of Object.entries(more)) context.say(`/container/envs/add list=ts key=${key} value=${value}`);
  context.say(`/container/start [find interface=veth-ts]`);
  await podman(["stop", "-t", "10", name], { timeoutMs: 60_000 });
  await podman(["rm", "-f", "-t", "0", name]);
  state.env = { ...state.env, ...more };
  state.container = await startRouter(topology, { image: context.image, stateDir: join(workDirOf(context.record.name), "state"), env: state.env, name, labels: { [LABEL]: context.record.name } });
  const conmon = Number((await podman(["inspect", "--format", "{{.State.ConmonPid}}", name])).stdout.trim());
  state.containerProcesses = [recordProcess(await state.container.pid(), "the container's PID 1 (the supervisor)"), recordProcess(conmon, "conmon (podman's monitor of the container)")].filter((process) => process !== undefined);
  recordProcesses(context, state);
  const log = await state.container.waitForLog(RUNNING, 120_000);
  return RUNNING.exec(log)?.[0] ?? "";
}

/** Shows `what` passing (polled up to `timeoutMs`): `ok  what: detail`. */
export async function showWorks(context: DemoContext, what: string, probe: () => Promise<string | undefined>, timeoutMs = 90_000): Promise<string> {
  const detail = await eventually(what, probe, timeoutMs);
  context.say(`ok  ${what}: ${detail}`);
  return detail;
}

/** Shows `what` failing for `forMs`, as it must before the change: `--  what: no answer`. */
export async function showFails(context: DemoContext, what: string, probe: () => Promise<string | undefined>, forMs = 6000): Promise<void> {
  await neverWithin(what, probe, forMs);
  context.say(`--  ${what}: no answer for ${forMs / 1000} s, as expected`);
}
