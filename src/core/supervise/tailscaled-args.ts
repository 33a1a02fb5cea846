// tailscaled's command line and environment, from the configuration and the preflight plan.
import type { Config } from "../config/config.ts";
import type { TailscaledPlan } from "../preflight/run-preflight.ts";

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
 * tailscaled's environment: ours without our secrets, plus the plan's additions. TS_LOGS_DIR keeps
 * tailscaled's log config beside its state instead of creating /var/lib/tailscale in the image.
 */
export function buildTailscaledEnv(env: Readonly<Record<string, string>>, plan: DaemonPlan, config: Config, secretNames: readonly string[]): Record<string, string> {
  const result: Record<string, string> = { TS_LOGS_DIR: config.stateDir };
  for (const [name, value] of Object.entries(env)) if (!secretNames.includes(name)) result[name] = value;
  return { ...result, ...plan.env };
}
