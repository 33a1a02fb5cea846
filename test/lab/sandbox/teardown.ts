// Removing a sandbox: what Ctrl-C does at the end of `npm start`, what the next start does first and
// what `npm run sandbox -- down` does. Works from the names alone (a killed run may have written
// nothing), and from session.json for the processes it recorded.
import { podman } from "../podman.ts";
import { existingNamespaces, removeTopology } from "../topology.ts";
import { isAlive, LABEL, readSession, removeWorkDir, workDirOf, type ProcessRecord } from "./session.ts";
import { join } from "node:path";

/** The sandbox's containers (running or not), by label and by name. */
export async function sandboxContainers(name: string): Promise<string[]> {
  const listed = await podman(["ps", "-a", "--filter", `label=${LABEL}=${name}`, "--format", "{{.Names}}"]);
  return listed.stdout.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Processes the sandbox recorded that still run. */
export function liveProcesses(name: string): ProcessRecord[] {
  return (readSession(name)?.processes ?? []).filter(isAlive);
}

/** Whether anything of the sandbox exists: namespaces, containers, recorded processes, its directory. */
export async function leftovers(name: string): Promise<string[]> {
  const left: string[] = [];
  for (const ns of await existingNamespaces(name)) left.push(`network namespace ${ns}`);
  for (const container of await sandboxContainers(name)) left.push(`container ${container}`);
  for (const process of liveProcesses(name)) left.push(`process ${process.pid} (${process.what})`);
  if (readSession(name) !== undefined) left.push(`${workDirOf(name)}/session.json`);
  return left;
}

async function waitUntilGone(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Removes everything of sandbox `name`, saying each step through `say`. A live `npm start` of this
 * name (not `self`) is asked to stop first (SIGINT, as Ctrl-C), and killed if it has not within 60 s.
 * Then containers (podman rm -f), recorded processes (SIGKILL), namespaces and what runs in them,
 * the directory.
 */
export async function tearDown(name: string, say: (line: string) => void, self?: ProcessRecord): Promise<void> {
  const record = readSession(name);
  const owner = record?.owner;
  if (owner !== undefined && isAlive(owner) && owner.pid !== self?.pid) {
    say(`asking the running sandbox (npm start, pid ${owner.pid}) to stop, as Ctrl-C would`);
    process.kill(owner.pid, "SIGINT");
    if (!(await waitUntilGone(owner, 60_000))) {
      say(`it did not stop within 60 s: killing pid ${owner.pid}`);
      process.kill(owner.pid, "SIGKILL");
      await waitUntilGone(owner, 5_000);
    }
  }
  for (const container of await sandboxContainers(name)) {
    const removed = await podman(["rm", "-f", "-t", "0", container], { timeoutMs: 60_000 });
    say(removed.exitCode === 0 ? `removed container ${container}` : `podman rm ${container} failed: ${removed.stderr.trim()}`);
  }
  for (const process of liveProcesses(name)) {
    if (process.pid === self?.pid) continue;
    try {
      globalThis.process.kill(process.pid, "SIGKILL");
      say(`killed ${process.what} (pid ${process.pid})`);
    } catch {
      // Gone in between.
    }
  }
  const namespaces = await existingNamespaces(name);
  await removeTopology(name, join(workDirOf(name), "topology"));
  if (namespaces.length > 0) say(`removed network namespaces ${namespaces.join(", ")} (and what ran in them)`);
  removeWorkDir(name);
}

