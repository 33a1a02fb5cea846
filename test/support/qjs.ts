// Runs the committed bundle under the real qjs (provisioned by test/setup/provision-qjs.sh).
import { execa, execaSync } from "execa";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The committed bundle, as it ships. */
export const BUNDLE = `${ROOT}bundle/supervisor.mjs`;

let qjsPath: string | undefined;

/** Path of the pinned qjs binary; builds it into the cache on first use. */
export function findQjs(): string {
  qjsPath ??= process.env["SUPERVISOR_QJS"] ?? execaSync("bash", [`${ROOT}test/setup/provision-qjs.sh`]).stdout.trim();
  return qjsPath;
}

/** What a run printed and how it ended. */
export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `qjs bundle/supervisor.mjs ...args` with exactly `env` (nothing inherited but PATH). */
export async function runBundle(args: readonly string[], env: Record<string, string>, options: { path?: string } = {}): Promise<RunResult> {
  const result = await execa(findQjs(), [BUNDLE, ...args], {
    env: { PATH: options.path ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: 20_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
