// `npm start` and `npm run sandbox` as a user runs them (npm, a process group of their own as in a
// terminal, Ctrl-C as SIGINT to that group), under a sandbox name of this run's own
// (TS_SANDBOX_NAME), so test runs side by side and a user's sandbox do not meet.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/qjs.ts";
import { checkCommand, releasesOf } from "../support/routeros-forms.ts";
import { existingNamespaces } from "../lab/topology.ts";
import { isAlive, readSession, workDirOf, type ProcessRecord } from "../lab/sandbox/session.ts";
import { leftovers, sandboxContainers, tearDown } from "../lab/sandbox/teardown.ts";

const name = `sb${process.pid % 100000}`;
const env = { TS_SANDBOX_NAME: name };

const START_OPTIONS = { cwd: ROOT, env, detached: true, reject: false, all: true, buffer: false, stdin: "ignore" } as const;

interface Started {
  readonly child: ReturnType<typeof execa<typeof START_OPTIONS>>;
  output(): string;
  waitFor(text: string, timeoutMs: number): Promise<void>;
}

/** `npm start -- ARGS` in a process group of its own (setsid), as a shell runs it in a terminal. */
function npmStart(args: readonly string[] = []): Started {
  const child = execa("npm", ["start", "--", ...args], START_OPTIONS);
  let output = "";
  child.all?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  let exited = false;
  void child.then(() => void (exited = true));
  return {
    child,
    output: () => output,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (exited) throw new Error(`npm start exited before "${text}":\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start: no "${text}" within ${timeoutMs / 1000} s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
}

const sandbox = (args: readonly string[]) => execa("npm", ["run", "-s", "sandbox", "--", ...args], { cwd: ROOT, env, reject: false, all: true, timeout: 180_000 });

/** The processes the running sandbox recorded once its container's are among them, and its `npm start`. */
async function recorded(): Promise<{ owner: ProcessRecord; processes: ProcessRecord[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const record = readSession(name);
    if (record !== undefined && record.processes.some((process) => process.what.startsWith("conmon"))) return { owner: record.owner, processes: record.processes };
    if (Date.now() > deadline) throw new Error(`session.json of sandbox ${name} never listed the container's processes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The process group of a running process (/proc/PID/stat, the field after the state and the parent). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

/** The lines `npm start` printed from step `[n/7]` up to the next step. */
function stepOutput(output: string, step: number): string {
  return output.slice(output.indexOf(`[${step}/7]`), output.indexOf(`[${step + 1}/7]`));
}

/** The README's example of `npm run sandbox -- exec client ping ...`, as a user copies it. */
function readmePingExample(): string[] {
  const example = /^\| `(exec client ping [^`]*)` \|/m.exec(readFileSync(`${ROOT}README.md`, "utf8"))?.[1];
  if (example === undefined) throw new Error("the README's sandbox table has no `exec client ping ...` row");
  return example.split(" ");
}

async function expectNothingLeft(processes: readonly ProcessRecord[]): Promise<void> {
  expect(await existingNamespaces(name)).toEqual([]);
  expect(await sandboxContainers(name)).toEqual([]);
  expect(processes.filter(isAlive).map((process) => `${process.pid} ${process.what}`)).toEqual([]);
  expect(existsSync(workDirOf(name))).toBe(false);
  expect(await leftovers(name)).toEqual([]);
}

describe("npm start: the sandbox", () => {
  afterAll(async () => {
    await tearDown(name, () => undefined);
  }, 120_000);

  it("a run killed with SIGKILL is cleaned by the next start, which reaches the traffic step; the sandbox commands work against it; Ctrl-C (SIGINT to the process group) leaves no namespace, container or process", async () => {
    const first = npmStart(["--variant", "tiny"]);
    await first.waitFor("INFO supervisor: tailscaled started", 300_000);
    const killed = await recorded();
    expect(killed.processes.map((process) => process.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^headscale/), expect.stringMatching(/^the container's PID 1/), expect.stringMatching(/^conmon/)]));
    process.kill(killed.owner.pid, "SIGKILL");
    await first.child;
    // Killed: its Headscale, page server and container are still there.
    expect(killed.processes.filter(isAlive).length).toBeGreaterThan(1);

    const second = npmStart();
    await second.waitFor("It works: the client reached the LAN through the container, and the LAN reached the client back.", 400_000);
    expect(second.output()).toMatch(/A killed earlier run left: .*network namespace .*container .*; removing it first:/);
    expect(killed.processes.filter(isAlive)).toEqual([]);
    expect(second.output()).toMatch(/\[7\/7\] traffic through the subnet router, both ways:\n(?:.*\n)*? {6}ok {2}client 100\.64\.\S+ -> LAN host 192\.168\.88\.10 \(ping\)/);
    expect(second.output()).toMatch(/container,info \S+-tailscale: INFO supervisor: tailscale is running /);
    expect(second.output()).not.toMatch(/FAILED/);
    // Issue 20: step 2 names only what this run built (the killed run's tiny archive is in dist/sandbox too).
    expect(stepOutput(second.output(), 2)).toMatch(/tailscale-standard-amd64\.tar/);
    expect(stepOutput(second.output(), 2)).not.toMatch(/tailscale-tiny-/);
    // Step 4 mirrors every RouterOS command the README's section 2 has, in the forms of 7.21+.
    const mirrored = stepOutput(second.output(), 4).split("\n").map((line) => line.trim().replace(/ {3}\(.*\)$/, "")).filter((line) => line.startsWith("/"));
    expect(mirrored).toEqual(expect.arrayContaining(["/interface/bridge/add name=containers", "/interface/bridge/port/add bridge=containers interface=veth-ts", "/ip/route/add dst-address=100.64.0.0/10 gateway=172.17.0.2"]));
    expect(mirrored.flatMap((command) => checkCommand(command, releasesOf("7.21+") ?? []))).toEqual([]);
    // The helpers are out of the terminal's process group: a Ctrl-C reaches npm start only.
    const helpers = (await recorded()).processes.filter((process) => /^(headscale|the client's tailscaled|busybox httpd|podman logs)/.test(process.what));
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    expect(helpers.filter((process) => processGroupOf(process.pid) === second.child.pid).map((process) => process.what)).toEqual([]);

    // The README's ping example ends by itself (a count), and succeeds.
    const ping = await sandbox(readmePingExample());
    expect(ping.all).toMatch(/3 packets transmitted, 3 (?:packets )?received/);
    expect(ping.exitCode).toBe(0);
    // Headscale's table without colour codes when piped.
    const nodes = await sandbox(["exec", "headscale", "headscale", "nodes", "list"]);
    expect(nodes.all).toMatch(/router/);
    expect(nodes.all).not.toContain("\u001b[");
    const doctor = await sandbox(["doctor"]);
    expect(doctor.all).toMatch(/result: kernel TUN networking can work/);
    const kill = await sandbox(["kill-tailscaled"]);
    expect(kill.all).toMatch(/killed tailscaled .*\n.*INFO supervisor: tailscale is running /);
    expect(kill.exitCode).toBe(0);
    const restart = await sandbox(["restart"]);
    expect(restart.all).toMatch(/Running again .* after the restart began/);
    const logs = await sandbox(["logs"]);
    expect(logs.all).toMatch(/^\d\d:\d\d:\d\d container,info \S+-tailscale: WARN supervisor: tailscaled exited, restarting status="signal 9"/m);
    expect((await sandbox(["exec", "client", "ping", "-c", "1", "-W", "5", "192.168.88.10"])).exitCode).toBe(0);

    const running = await recorded();
    process.kill(-(second.child.pid ?? 0), "SIGINT");
    await second.child;
    expect(second.output()).toMatch(/Ctrl-C: stopping the container and removing everything the sandbox made/);
    // Headscale was still up while the container stopped: its last lines hold no control-server trouble.
    const afterCtrlC = second.output().slice(second.output().indexOf("Ctrl-C: stopping"));
    expect(afterCtrlC).not.toMatch(/control server refuses or drops the connection/);
    expect(second.output()).toMatch(/podman stop \S+ \(SIGTERM, as \/container\/stop\): exit 0 /);
    expect(second.output()).toMatch(/Sandbox \S+ removed: no namespaces, containers or processes of it are left\./);
    await expectNothingLeft(running.processes);
  }, 900_000);

  it("a run killed with SIGKILL is cleaned by `npm run sandbox -- down`", async () => {
    const run = npmStart();
    await run.waitFor("INFO supervisor: tailscaled started", 300_000);
    const killed = await recorded();
    process.kill(killed.owner.pid, "SIGKILL");
    await run.child;
    expect(await leftovers(name)).not.toEqual([]);
    const down = await sandbox(["down"]);
    expect(down.all).toMatch(/removed container \S+-tailscale/);
    expect(down.all).toMatch(new RegExp(`sandbox ${name}: nothing left`));
    expect(down.exitCode).toBe(0);
    await expectNothingLeft(killed.processes);
  }, 600_000);
});
