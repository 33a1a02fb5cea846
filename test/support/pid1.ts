// Runs the committed bundle under the real qjs as a real PID 1 (own PID and mount namespace, tmpfs on
// /run), with the fake tailscaled/tailscale of test/support/fake-bin first on PATH.
import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, findQjs, ROOT } from "./qjs.ts";

export const FAKE_BIN = `${ROOT}test/support/fake-bin`;
export const RUNNING_STATUS = `${ROOT}test/fixtures/tailscale/status/status-running.json`;

/** A supervisor run in namespaces, with its scenario directory and controls. */
export interface SupervisorRun {
  readonly dir: string;
  readonly pid: () => number;
  output(): string;
  /** Host pid of the supervisor (PID 1 inside its namespace). */
  supervisorPid(): Promise<number>;
  signal(signal: NodeJS.Signals): Promise<void>;
  /** Resolves when the output matches, or fails after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit: code (128+n for a signal) and the elapsed time since `since`. */
  exit(): Promise<{ exitCode: number; atMs: number }>;
  lines(file: string): string[];
}

/** Starts the supervisor; `pid1: false` keeps the PID namespace of the test (for leftovers checks). */
export function startSupervisorInNamespace(env: Record<string, string>, options: { pid1?: boolean; args?: string[]; binDir?: string; dir?: string; netns?: string; bindMounts?: Record<string, string>; setup?: string } = {}): SupervisorRun {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "pid1-"));
  // Always a network namespace of the test's own (a fresh one, or `netns` made by the test):
  // preflight probes, and may change, the firewall and sysctls of the namespace it runs in.
  const network = options.netns === undefined ? ["unshare", "--net"] : ["ip", "netns", "exec", options.netns, "unshare"];
  const namespaces = ["--mount", "--propagation", "private", ...(options.pid1 === false ? [] : ["--pid", "--fork", "--mount-proc"])];
  // `bindMounts` (target → source), e.g. a hosts file of the test's own over /etc/hosts: in the
  // supervisor's mount namespace only, and changed in place later (the bind mount holds the inode).
  const binds = Object.entries(options.bindMounts ?? {}).map(([target, source]) => `mount --bind '${source}' '${target}' && `);
  // `setup`: shell run in the namespaces before the supervisor (sysctls, a read-only /proc/sys).
  const inner = `mount -t tmpfs tmpfs /run && ${binds.join("")}${options.setup === undefined ? "" : `${options.setup} && `}exec "$0" "$@"`;
  let output = "";
  const process = execa(network[0] ?? "unshare", [...network.slice(1), ...namespaces, "sh", "-c", inner, findQjs(), BUNDLE, ...(options.args ?? [])], {
    env: {
      PATH: `${options.binDir ?? FAKE_BIN}:/usr/sbin:/usr/bin:/sbin:/bin`,
      FAKE_DIR: dir,
      FAKE_STATUS_JSON: RUNNING_STATUS,
      TS_STATE_DIR: `${dir}/state`,
      TS_SOCKET: `${dir}/tailscaled.sock`,
      ...env,
    },
    extendEnv: false,
    reject: false,
    all: true,
    buffer: false,
  });
  process.all?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = process.then((result) => ({ exitCode: result.exitCode ?? 128 + signalNumber(result.signal), atMs: Date.now() }));
  const supervisorPid = async (): Promise<number> => {
    const outer = process.pid ?? 0;
    // Without --fork, unshare execs sh, which execs qjs: same pid (ip netns exec execs too).
    if (options.pid1 === false) return outer;
    return pollFor(() => {
      const child = childOf(outer);
      // The namespace's PID 1 is `sh` until it execs qjs.
      return child !== undefined && readFileSync(`/proc/${child}/comm`, "utf8").trim() === "qjs" ? child : undefined;
    }, 5000);
  };
  return {
    dir,
    pid: () => process.pid ?? 0,
    output: () => output,
    supervisorPid,
    async signal(signal) {
      globalThis.process.kill(await supervisorPid(), signal);
    },
    waitFor: (pattern, timeoutMs = 10_000) => pollFor(() => (pattern.test(output) ? true : undefined), timeoutMs, () => `output never matched ${pattern}:\n${output}`).then(() => undefined),
    exit: () => exited,
    lines(file) {
      try {
        return readFileSync(join(dir, file), "utf8").split("\n").filter((line) => line !== "");
      } catch {
        return [];
      }
    },
  };
}

function childOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return children.length > 0 ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `probe` every 20 ms until it returns a value. */
export async function pollFor<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string = () => "condition not met"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = probe();
    } catch {
      value = undefined;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function signalNumber(signal: string | undefined): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
  return signal === undefined ? 0 : (numbers[signal] ?? 0);
}

/** Zombie children of `pid` right now (state Z in /proc/<child>/stat). */
export function findZombieChildren(pid: number): number[] {
  const zombies: number[] = [];
  for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
    try {
      const stat = readFileSync(`/proc/${child}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) zombies.push(Number(child));
    } catch {
      // Gone in between: not a zombie.
    }
  }
  return zombies;
}
