// tailscaled's command line and environment, from the configuration and the preflight plan.
import type { Config } from "../../config/config.ts";
import { ENV_VARS, KNOWN_VARIABLE_NAMES } from "../../config/env-schema.ts";
import type { TailscaledPlan } from "../../preflight/run-preflight.ts";

/** What tailscaled's command line and environment need of the preflight plan. */
export type DaemonPlan = Pick<TailscaledPlan, "userspace" | "env">;

/** tailscaled's argv (without the setsid wrapper). */
export function buildTailscaledArgs(config: Config, plan: DaemonPlan, configFile: string | undefined): string[] {
  const args = [
    "tailscaled",
    `--statedir=${config.stateDir}`,
    `--socket=${config.socket}`,
    `--port=${config.port}`,
    `--tun=${plan.userspace ? "userspace-networking" : "tailscale0"}`,
  ];
  if (configFile !== undefined) args.push(`--config=${configFile}`);
  return [...args, ...config.tailscaledExtraArgs];
}

/**
 * tailscaled's environment: ours without the supervisor's own variables (the key above all; the
 * rest are ours, and tailscaled reads some TS_* names itself), plus the plan's additions.
 * TS_LOGS_DIR: tailscaled's log config and log buffers go to `logsDir` (tmpfs when there is one),
 * not to flash, and not to a /var/lib/tailscale it would create in the image.
 */
export function buildTailscaledEnv(env: Readonly<Record<string, string>>, plan: DaemonPlan, logsDir: string): Record<string, string> {
  const result: Record<string, string> = { TS_LOGS_DIR: logsDir };
  for (const [name, value] of Object.entries(env)) if (!KNOWN_VARIABLE_NAMES.includes(name)) result[name] = value;
  return { ...result, ...plan.env };
}

/** The environment of STARTUP_SCRIPT and RUNNING_SCRIPT: the container's (they may read TS_ROUTES ...), without the key. */
export function buildHookEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const secretNames = [ENV_VARS.authKey.name, ...ENV_VARS.authKey.aliases];
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (!secretNames.includes(name)) result[name] = value;
  return result;
}
