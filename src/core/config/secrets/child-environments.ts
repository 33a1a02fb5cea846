// What each kind of child is given of the container's environment: the one list (README
// "Environment of children"), and no secret in any of it.
import { createRedactor } from "../../log/redact.ts";
import { DEFAULT_PATH } from "../../system/path-lookup.ts";
import { ENV_VARS, KNOWN_VARIABLE_NAMES } from "../env-schema.ts";

/** The environments, by kind of child. */
export interface ChildEnvironments {
  /**
   * tailscaled (plus the preflight plan, tailscaled-args.ts) and every `tailscale` CLI call, the
   * passthrough's too: the container's environment without the supervisor's own variables (every
   * name of the table and its aliases: the key, and TS_* names tailscaled would also read) and
   * without any variable holding a secret (a registered one, a key's shape, a URL password).
   */
  readonly tailscale: Readonly<Record<string, string>>;
  /**
   * STARTUP_SCRIPT and RUNNING_SCRIPT, which may read TS_ROUTES and the like: the container's
   * environment without the key variables, every other value with its secrets replaced by [REDACTED]
   * (an --id-token in TS_EXTRA_ARGS, a URL password).
   */
  readonly hook: Readonly<Record<string, string>>;
  /** Probes and diagnostics (`ip`, `iptables*`, `mknod`, `uname`, `setsid`): PATH only. */
  readonly probe: Readonly<Record<string, string>>;
}

const KEY_VARIABLES: readonly string[] = [ENV_VARS.authKey.name, ...ENV_VARS.authKey.aliases];

/** Builds them from the container's environment and the secrets the configuration holds. */
export function buildChildEnvironments(env: Readonly<Record<string, string>>, secrets: readonly string[]): ChildEnvironments {
  const redactor = createRedactor();
  for (const secret of secrets) redactor.addSecret(secret);
  const holdsSecret = (value: string): boolean => redactor.findSpans(value).length > 0;
  const tailscale: Record<string, string> = {};
  const hook: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!KNOWN_VARIABLE_NAMES.includes(name) && !holdsSecret(value)) tailscale[name] = value;
    if (!KEY_VARIABLES.includes(name)) hook[name] = redactor.redactText(value);
  }
  return { tailscale, hook, probe: { PATH: env["PATH"] ?? DEFAULT_PATH } };
}
