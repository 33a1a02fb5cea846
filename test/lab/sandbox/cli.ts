// `npm run sandbox -- COMMAND`: looks at and pokes the sandbox `npm start` runs (same TS_SANDBOX_NAME).
import { execa } from "execa";
import { podman } from "../podman.ts";
import { findTailscaled } from "../router.ts";
import { namespacesOf } from "../topology.ts";
import { followLog, formatRouterOsLine, readLog } from "./container-log.ts";
import { readSession, sandboxName, type SessionRecord } from "./session.ts";
import { leftovers, tearDown } from "./teardown.ts";

const USAGE = `npm run sandbox -- COMMAND   (as root, while npm start runs; TS_SANDBOX_NAME picks the sandbox)

  logs [-f]                 the container's log as RouterOS shows it (-f: follow)
  doctor [--json]           the supervisor's checks inside the container
  exec WHERE COMMAND...     run COMMAND in client, lan, router, headscale (their namespaces, the host's
                            programs; busybox's when the host lacks one, e.g. ping) or container
                            (podman exec); \`tailscale\` in client talks to the client's daemon,
                            \`headscale\` to the sandbox's server
  kill-tailscaled           kill -9 the container's tailscaled; waits until the supervisor has it Running
  restart                   podman restart (SIGTERM, then start on the same state); waits for Running
  status                    what of the sandbox exists now
  down                      stop and remove everything (what Ctrl-C in npm start does; also after a killed run)`;

const RUNNING = /INFO supervisor: tailscale is running /;
const print = (line: string): void => void process.stdout.write(`${line}\n`);

function requireRunning(name: string): SessionRecord & { container: string } {
  const record = readSession(name);
  if (record?.container === undefined) throw new Error(`no sandbox named ${name} is running: start it with npm start`);
  return record as SessionRecord & { container: string };
}

async function runningCount(container: string): Promise<number> {
  return (await readLog(container)).filter((line) => RUNNING.test(line.text)).length;
}

/** Polls the log until there are more Running lines than `before`; the new one. */
async function waitForRunning(container: string, before: number, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await readLog(container)).filter((line) => RUNNING.test(line.text));
    const latest = lines[before];
    if (latest !== undefined) return formatRouterOsLine(container, latest);
    if (Date.now() > deadline) throw new Error(`not Running again within ${timeoutMs / 1000} s: npm run sandbox -- logs`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function exec(record: SessionRecord & { container: string }, where: string | undefined, command: string[]): Promise<number> {
  if (where === undefined || command.length === 0) throw new Error("exec needs WHERE and a COMMAND, e.g. exec client ping -c 3 192.168.88.10");
  if (where === "container") return (await execa("podman", ["exec", ...(process.stdin.isTTY ? ["-it"] : []), record.container, ...command], { stdio: "inherit", reject: false })).exitCode ?? 1;
  const namespaces = namespacesOf(record.name) as unknown as Record<string, string>;
  const ns = namespaces[where];
  if (ns === undefined) throw new Error(`exec ${where}: WHERE is one of client, lan, router, headscale, container`);
  const [program = "", ...args] = command;
  let argv = command;
  if (program === "tailscale" && where === "client" && record.clientSocket !== undefined) argv = [record.tailscaleCli ?? "tailscale", `--socket=${record.clientSocket}`, ...args];
  else if (program === "headscale" && record.headscaleCli !== undefined) argv = [...record.headscaleCli, ...args];
  else if ((await execa("sh", ["-c", `command -v "$0"`, program], { reject: false })).exitCode !== 0) argv = ["busybox", ...command];
  // Headscale's tables colour their cells even into a pipe (pterm forces colour on); NO_COLOR is the one switch it honours.
  const env = program === "headscale" && process.stdout.isTTY !== true ? { NO_COLOR: "1" } : {};
  return (await execa("ip", ["netns", "exec", ns, ...argv], { stdio: "inherit", reject: false, env })).exitCode ?? 1;
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const name = sandboxName();
  if (command === undefined || command === "help" || command === "-h" || command === "--help") {
    print(USAGE);
    return 0;
  }
  if (command === "down") {
    await tearDown(name, print);
    const left = await leftovers(name);
    print(left.length === 0 ? `sandbox ${name}: nothing left` : `still there: ${left.join(", ")}`);
    return left.length === 0 ? 0 : 1;
  }
  if (command === "status") {
    const left = await leftovers(name);
    print(left.length === 0 ? `sandbox ${name}: not running, nothing left` : `sandbox ${name}: ${left.join(", ")}`);
    return 0;
  }
  const record = requireRunning(name);
  switch (command) {
    case "logs": {
      for (const line of await readLog(record.container)) print(formatRouterOsLine(record.container, line));
      if (!rest.includes("-f")) return 0;
      const last = Date.now();
      followLog(record.container, (line) => line.time.getTime() > last && print(formatRouterOsLine(record.container, line)));
      return new Promise<number>((resolve) => process.once("SIGINT", () => resolve(0)));
    }
    case "doctor":
      return (await execa("podman", ["exec", record.container, "/usr/local/bin/supervisor", "doctor", ...rest], { stdio: "inherit", reject: false })).exitCode ?? 1;
    case "exec":
      return exec(record, rest[0], rest.slice(1));
    case "kill-tailscaled": {
      const before = await runningCount(record.container);
      const pid1 = Number((await podman(["inspect", "--format", "{{.State.Pid}}", record.container])).stdout.trim());
      const tailscaled = await findTailscaled(pid1);
      process.kill(tailscaled, "SIGKILL");
      print(`killed tailscaled (host pid ${tailscaled}) with SIGKILL; waiting for the supervisor to restart it...`);
      print(await waitForRunning(record.container, before));
      return 0;
    }
    case "restart": {
      const before = await runningCount(record.container);
      const startedAt = Date.now();
      const restarted = await podman(["restart", "-t", "10", record.container], { timeoutMs: 60_000 });
      if (restarted.exitCode !== 0) throw new Error(`podman restart: ${restarted.stderr.trim()}`);
      print(`podman restart ${record.container}: stopped with SIGTERM and started again on its state volume; waiting for Running...`);
      print(await waitForRunning(record.container, before));
      print(`Running again ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the restart began (no key used: the state volume holds the login)`);
      return 0;
    }
    default:
      throw new Error(`unknown command ${command}: npm run sandbox -- help`);
  }
}

process.exitCode = await run(process.argv.slice(2)).catch((error: unknown) => {
  print(`npm run sandbox: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
process.exit();
