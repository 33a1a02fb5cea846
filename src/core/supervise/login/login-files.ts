// tailscaled's config file and the key's copy in the runtime directory: written before tailscaled
// starts, and the key retired once it served (the file rewritten without it, then the copy removed).
import type { Config } from "../../config/config.ts";
import type { FilesPort } from "../../host.ts";
import { buildConfigDocument, needsKeyInFile, planLogin, type LoginInputs, type LoginPlan } from "./login-plan.ts";

const KEY_FILE_NAME = "authkey";
const CONFIG_FILE_NAME = "tailscaled.json";

/** Where the runtime directory is, and what preflight and the state dir say. */
export interface LoginSetupInputs {
  /** The runtime directory (undefined: none could be made). */
  readonly runtimeDir: string | undefined;
  readonly onTmpfs: boolean;
  readonly netfilterMode: LoginInputs["netfilterMode"];
  readonly savedLogin: boolean;
}

/** The config file and the key's copy. */
export interface LoginFiles {
  /** The config file tailscaled reads; undefined: the CLI path. */
  readonly configFile: string | undefined;
  /** Whether the config file still names the key. */
  keyInConfig(): boolean;
  /**
   * The key served: the config file rewritten without it (a new file renamed over the old one:
   * tailscaled exits at once on an AuthKey file that is gone), then the copy removed. A problem, or
   * undefined when done.
   */
  retireKey(): string | undefined;
  /** At exit: the copy, if still there. */
  removeCopy(): void;
}

/** The login chosen, its inputs and files; or why the key's copy could not be written. */
export type LoginSetup =
  | { readonly ok: true; readonly plan: LoginPlan; readonly inputs: LoginInputs; readonly files: LoginFiles; readonly reason: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Writes what the login needs. The key goes into a file only for a config file that must name it
 * (no saved login, or TS_AUTH_ONCE=false): its copy on tmpfs (0600, created new), or the user's own
 * key file. Every CLI login gets the key on its stdin (login-plan.ts).
 */
export function prepareLogin(files: FilesPort, config: Config, given: LoginSetupInputs): LoginSetup {
  const dir = given.runtimeDir;
  const copy = dir === undefined ? undefined : `${dir}/${KEY_FILE_NAME}`;
  const onTmpfs = given.onTmpfs && dir !== undefined;
  const key = config.authKey;
  const keyRef = key === undefined ? undefined : key.file !== undefined ? `file:${key.file}` : onTmpfs && copy !== undefined ? `file:${copy}` : undefined;
  const inputs: LoginInputs = { authKeyRef: keyRef, netfilterMode: given.netfilterMode, runtimeDirOnTmpfs: onTmpfs, savedLogin: given.savedLogin };
  const planned = planLogin(config, inputs);
  if (planned.kind === "cli" || dir === undefined) return { ok: true, plan: planned, inputs, files: noFiles(), reason: planned.kind === "cli" ? planned.reason : "no runtime directory" };
  const ownCopy = key !== undefined && key.file === undefined && copy !== undefined && needsKeyInFile(config, inputs) ? copy : undefined;
  if (ownCopy !== undefined && key !== undefined) {
    const written = files.createFile(ownCopy, `${key.key}\n`, 0o600);
    // Logging in without the key that was configured would be a silent lie: stop instead.
    if (!written.ok) return { ok: false, problem: `cannot write the auth key's copy ${ownCopy}: ${written.error.message}` };
  }
  const configFile = `${dir}/${CONFIG_FILE_NAME}`;
  if (!writeReplacing(files, configFile, planned.document)) {
    if (ownCopy !== undefined) files.remove(ownCopy);
    const plan: LoginPlan = { kind: "cli", reason: "config file not writable" };
    return { ok: true, plan, inputs, files: noFiles(), reason: plan.reason };
  }
  let keyInConfig = planned.document["AuthKey"] !== undefined;
  let copyLeft = ownCopy;
  return {
    ok: true,
    plan: planned,
    inputs,
    reason: "config file",
    files: {
      configFile,
      keyInConfig: () => keyInConfig,
      retireKey() {
        if (keyInConfig && !writeReplacing(files, configFile, buildConfigDocument(config, { ...inputs, authKeyRef: undefined }))) return `cannot rewrite ${configFile} without the key`;
        keyInConfig = false;
        if (copyLeft === undefined) return undefined;
        const removed = files.remove(copyLeft);
        if (!removed.ok && removed.error.code !== "ENOENT") return `cannot remove the key's copy ${copyLeft}: ${removed.error.message}`;
        copyLeft = undefined;
        return undefined;
      },
      removeCopy() {
        if (copyLeft !== undefined) files.remove(copyLeft);
        copyLeft = undefined;
      },
    },
  };
}

/** The config file as a new file (0600) renamed over the old one: tailscaled never reads half of it. */
function writeReplacing(files: FilesPort, path: string, document: Record<string, unknown>): boolean {
  const written = files.createFile(`${path}.new`, `${JSON.stringify(document, null, 2)}\n`, 0o600);
  return written.ok && files.rename(`${path}.new`, path).ok;
}

function noFiles(): LoginFiles {
  return { configFile: undefined, keyInConfig: () => false, retireKey: () => undefined, removeCopy: () => undefined };
}
