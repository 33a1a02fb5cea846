// Runs the committed bundle under the real qjs inside fresh namespaces (net, mount, pid) that die with the run.
import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, findQjs, type RunResult } from "../support/qjs.ts";

/** What to set up, run and look at inside the namespaces. */
export interface NamespaceScenario {
  /** Shell run inside the namespaces before the bundle (mounts, veths); `$WORK` is the scratch dir. */
  readonly setup?: string;
  /** Arguments of each bundle run, in order (e.g. two `doctor --fix` runs). */
  readonly runs: ReadonlyArray<readonly string[]>;
  readonly env?: Record<string, string>;
  /** Capabilities removed from the bundle's effective, inheritable and bounding sets (`mknod`, `net_admin`). */
  readonly dropCaps?: readonly string[];
  /** Fake commands put first on PATH: name → shell script body. */
  readonly fakeCommands?: Record<string, string>;
  /** Shell run inside the namespaces after the runs, once after each run; its stdout is returned. */
  readonly inspect?: string;
}

/** Each run's result and what `inspect` printed after it. */
export interface NamespaceOutcome {
  readonly runs: readonly RunResult[];
  readonly inspections: readonly string[];
}

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Runs a scenario in `unshare --net --mount --pid --fork --mount-proc --kill-child`: every mount,
 * link and route made inside disappears with the namespaces, even when the test fails. /run is a
 * fresh tmpfs (the iptables link dir), and TS_STATE_DIR defaults to $WORK/state bind-mounted onto
 * itself (its own, persistent mount), so nothing outside the scratch dir is written.
 */
export async function runInNamespace(scenario: NamespaceScenario): Promise<NamespaceOutcome> {
  const work = mkdtempSync(join(tmpdir(), "preflight-ns-"));
  try {
    const fakeBin = join(work, "fakebin");
    mkdirSync(fakeBin);
    for (const [name, body] of Object.entries(scenario.fakeCommands ?? {})) {
      writeFileSync(join(fakeBin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(fakeBin, name), 0o755);
    }
    const env = { PATH: `${fakeBin}:${SYSTEM_PATH}`, TS_STATE_DIR: `${work}/state`, ...scenario.env };
    const envWords = Object.entries(env).map(([key, value]) => quote(`${key}=${value}`)).join(" ");
    const drop = (scenario.dropCaps ?? []).map((cap) => `-${cap}`).join(",");
    const prefix = drop === "" ? "" : `setpriv --inh-caps=${drop} --bounding-set=${drop} `;
    const lines = [
      "set -eu",
      `WORK=${quote(work)}`,
      "mount -t tmpfs none /run",
      'mkdir -p "$WORK/state" && mount --bind "$WORK/state" "$WORK/state"',
      scenario.setup ?? "",
      ...scenario.runs.flatMap((args, index) => [
        `rc=0; ${prefix}env -i ${envWords} ${quote(findQjs())} ${quote(BUNDLE)} ${args.map(quote).join(" ")} >"$WORK/out.${index}" 2>"$WORK/err.${index}" || rc=$?`,
        `echo "$rc" >"$WORK/rc.${index}"`,
        `( ${scenario.inspect ?? "true"} ) >"$WORK/inspect.${index}" 2>&1 || true`,
      ]),
    ];
    writeFileSync(join(work, "scenario.sh"), `${lines.join("\n")}\n`);
    await execa("unshare", ["--net", "--mount", "--pid", "--fork", "--mount-proc", "--kill-child", "bash", join(work, "scenario.sh")], { timeout: 90_000 });
    const read = (name: string): string => readFileSync(join(work, name), "utf8");
    return {
      runs: scenario.runs.map((_, index) => ({ exitCode: Number(read(`rc.${index}`)), stdout: read(`out.${index}`), stderr: read(`err.${index}`) })),
      inspections: scenario.runs.map((_, index) => read(`inspect.${index}`)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The `doctor --json` document of a run. */
export function parseDoctorJson(run: RunResult): DoctorJson {
  return JSON.parse(run.stdout) as DoctorJson;
}

/** The parts of `doctor --json` the tests look at. */
export interface DoctorJson {
  readonly ok: boolean;
  readonly canRun: boolean;
  readonly plan: { readonly userspace: boolean; readonly env: Record<string, string>; readonly netfilterMode?: string };
  readonly checks: ReadonlyArray<{ readonly id: string; readonly status: string; readonly what: string; readonly fix?: string }>;
  readonly changes: readonly string[];
  readonly facts: Record<string, unknown>;
}

/** The check with this id, or a test failure. */
export function findCheck(doc: DoctorJson, id: string): DoctorJson["checks"][number] {
  const check = doc.checks.find((candidate) => candidate.id === id);
  if (check === undefined) throw new Error(`no check ${id} in ${JSON.stringify(doc.checks.map((c) => c.id))}`);
  return check;
}
