// Code that says what it does: comments that a reader of this repository can follow, one rule in one
// place, probes that only look (checked by what they do to a fake machine), reporting that only reports.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/qjs.ts";
import { loadConfig } from "../src/core/config/load-config.ts";
import { applyFixes } from "../src/core/preflight/apply-fixes.ts";
import { probeAll } from "../src/core/preflight/probe-all.ts";
import type { CommandRunner } from "../src/core/process/command-runner.ts";
import { createFakeHost } from "./fakes/fake-host.ts";
import type { FakeFiles } from "./fakes/fake-files.ts";

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listSources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

const SOURCES = listSources(join(ROOT, "src")).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
const commentsOf = (text: string): string[] => [...text.matchAll(/\/\/.*$|\/\*[\s\S]*?\*\//gm)].map((match) => match[0]);

describe("code that says what it does", () => {
  it("no comment points at a file outside the repository or at an issue number", () => {
    // A public link (https://github.com/.../issues/N) is fine: anyone can follow it.
    const outside = /\.\.\/shared\/|\/work\/|\bissues?\s+#?\d|\(#\d+\)/i;
    const found = SOURCES.flatMap(({ path, text }) => commentsOf(text).filter((comment) => outside.test(comment)).map((comment) => `${path}: ${comment.trim()}`));
    expect(found).toEqual([]);
  });

  it("the rule from a child's exit status to an exit code is written once (process/exit-status.ts)", () => {
    const rule = /kind === "exited" \?|kind === "killed"|128 \+ /;
    const found = SOURCES.filter(({ path, text }) => rule.test(text.replace(/\/\/.*$/gm, "")) && !["src/core/process/exit-status.ts", "src/core/outcome.ts"].includes(path)).map(({ path }) => path);
    expect(found).toEqual([]);
  });

  it("probing only looks: the probe phase leaves files as they were and runs only commands that read (or its own probe chain)", async () => {
    const { host, config, commands } = machineNeedingEveryFix();
    const before = snapshotFiles(host.files);
    const facts = await probeAll(host, config, commands.runner, SYSTEM);
    expect(snapshotFiles(host.files)).toEqual(before);
    expect(commands.ran.filter((argv) => !isReadOnlyCommand(argv))).toEqual([]);
    // The probes did look: every fix is called for (else the control below would prove nothing).
    expect([facts.tun.kind, facts.stateDir.kind, facts.returnRoutes?.routes.some((route) => !route.present)]).toEqual(["missing", "directory", true]);
  });

  it("the rule catches a change (control): the fix phase, given the same facts, writes files and runs commands that change the system", async () => {
    const { host, config, commands } = machineNeedingEveryFix();
    const facts = await probeAll(host, config, commands.runner, SYSTEM);
    const before = snapshotFiles(host.files);
    commands.ran.length = 0;
    await applyFixes(host, config, commands.runner, facts, "/run/tailscale-supervisor/bin");
    expect(snapshotFiles(host.files)).not.toEqual(before);
    expect(commands.ran.filter((argv) => !isReadOnlyCommand(argv)).map((argv) => argv[0])).toEqual(expect.arrayContaining(["mknod", "ip"]));
  });

  it("the image recipe stands alone: nothing in docker/ names test/ (the lab imports the recipe, never the reverse)", () => {
    const recipe = execFileSync("git", ["ls-files", "docker"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(recipe.length).toBeGreaterThan(10);
    const found = recipe.filter((path) => /(^|[^\w.-])test\//.test(readFileSync(join(ROOT, path), "latin1")));
    expect(found).toEqual([]);
  });

  it("reporting a state runs nothing: RUNNING_SCRIPT is run by the supervisor", () => {
    const reportState = SOURCES.find(({ path }) => path === "src/core/supervise/state/report-state.ts")?.text ?? "";
    expect(reportState).not.toMatch(/from "\.\/hooks\.ts"/);
    expect(SOURCES.find(({ path }) => path === "src/core/supervise/supervisor.ts")?.text).toMatch(/createRunningScript/);
  });
});

const SYSTEM = { version: "0", arch: "x86_64", kernel: "6.1", pid1: true };
const PROBE_CHAIN_STEPS = new Set(["-N", "-A", "-F", "-X"]);

/** Commands that only read, and the firewall probe's writes to its own chain (created and deleted again). */
function isReadOnlyCommand(argv: readonly string[]): boolean {
  const [program = "", ...args] = argv;
  if (program === "uname") return true;
  if (program === "ip") return args.includes("route") && (args.includes("show") || args.includes("get"));
  if (/ip6?tables-(legacy|nft)-save$/.test(program)) return true;
  if (/ip6?tables-(legacy|nft)$/.test(program)) {
    const step = args.find((arg) => PROBE_CHAIN_STEPS.has(arg));
    return step !== undefined && args[args.indexOf(step) + 1] === "TS-SUPERVISOR-PROBE";
  }
  return false;
}

/** A container needing fixes (TUN missing, forwarding off, no return route) whose state dir exists, so that its write probe runs. */
function machineNeedingEveryFix() {
  const env = { PATH: "/usr/sbin:/usr/bin", TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" };
  const host = createFakeHost({
    env,
    files: {
      "/proc/self/status": "CapEff:\t000001ffffffffff\n",
      "/proc/self/mountinfo": "1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /run rw - tmpfs tmpfs rw\n",
      "/proc/sys/net/ipv4/ip_forward": "0\n",
      "/proc/sys/net/ipv6/conf/all/forwarding": "0\n",
      "/proc/sys/net/ipv4/conf/all/rp_filter": "1\n",
      "/proc/sys/net/core/rmem_max": "212992\n",
      "/proc/sys/net/core/wmem_max": "212992\n",
      "/usr/sbin/iptables-legacy": { kind: "file", mode: 0o755 },
      "/usr/sbin/iptables-legacy-save": { kind: "file", mode: 0o755 },
      "/usr/sbin/ip6tables-legacy": { kind: "file", mode: 0o755 },
      "/var/lib/tailscale": { kind: "directory", mode: 0o700 },
      "/dev": { kind: "directory", mode: 0o755 },
    },
  });
  const loaded = loadConfig(env, host.files);
  if (!loaded.ok) throw new Error("the test's configuration is valid");
  const ran: string[][] = [];
  const runner: CommandRunner = {
    stopping: false,
    endAll: async () => undefined,
    run: async (argv) => {
      ran.push([...argv]);
      const routeGet = argv[0] === "ip" && argv.includes("get");
      return { ok: true, value: { status: { kind: "exited", code: 0 }, stdout: routeGet ? "172.17.0.1 dev eth0 src 172.17.0.2\n" : "", stderr: "" } };
    },
  };
  return { host, config: loaded.config, commands: { runner, ran } };
}

/** The virtual filesystem as plain data, to compare before and after. */
function snapshotFiles(files: FakeFiles): Record<string, unknown> {
  return Object.fromEntries([...files.entries].map(([path, entry]) => [path, { ...entry }]));
}
