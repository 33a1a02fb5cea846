// What the configuration asks of tailscaled's build: each flag, variable or value that works only
// with a Tailscale feature (featuretags), checked against the features the image's tailscaled has.
// A flag whose feature is missing would pass and silently do nothing (`--ssh`), or make tailscaled
// exit at once (`--socks5-server`): refused instead, with the way to a build that has it.
import type { Config } from "../config/config.ts";
import { createIssue, type ConfigIssue } from "../config/config-issue.ts";
import type { FeatureSet } from "./features.ts";
import type { TailscaledFlag } from "./tailscaled-flags.ts";
import { findUpFlag } from "./up-flags.ts";

/** One thing that needs a feature: where it was asked for, and how it reads there. */
export interface FeatureNeed {
  readonly variable: string;
  readonly what: string;
  readonly feature: string;
}

/** Names of the official image (containerboot) this one does not read; the replacement each advice names needs a feature. */
const CONTAINERBOOT_NEEDS: ReadonlyArray<readonly [string, string]> = [
  ["TS_SOCKS5_SERVER", "outboundproxy"],
  ["TS_OUTBOUND_HTTP_PROXY_LISTEN", "outboundproxy"],
  ["TS_SERVE_CONFIG", "serve"],
];

/** Everything in the configuration that needs a feature (tailscaled's extra flags parsed by tailscaled-flags.ts). */
export function findFeatureNeeds(config: Config, env: Readonly<Record<string, string>>, tailscaledFlags: readonly TailscaledFlag[]): FeatureNeed[] {
  const needs: FeatureNeed[] = [];
  const extraArgs = config.sources.extraArgs.variable;
  for (const preference of config.upPreferences) {
    const feature = findUpFlag(preference.name)?.feature;
    if (feature !== undefined && preference.value !== "false") needs.push({ variable: extraArgs, what: `--${preference.name}`, feature });
  }
  for (const flag of tailscaledFlags) if (flag.feature !== undefined) needs.push({ variable: config.sources.tailscaledExtraArgs.variable, what: `--${flag.name}`, feature: flag.feature });
  const setting = (key: keyof Config["sources"], what: string, feature: string): void => void needs.push({ variable: config.sources[key].variable, what, feature });
  if (config.routes !== undefined && config.routes.length > 0) setting("routes", "advertised routes", "advertiseroutes");
  if (config.acceptDns) setting("acceptDns", "the tailnet's DNS settings", "dns");
  if (config.userspace === "true") setting("userspace", "userspace networking", "netstack");
  if (config.authKey?.kind === "oauth-secret") setting("authKey", "an OAuth client secret", "oauthkey");
  for (const [name, feature] of CONTAINERBOOT_NEEDS) if ((env[name] ?? "").trim() !== "") needs.push({ variable: name, what: name, feature });
  return needs;
}

/** The needs the image's tailscaled cannot meet, as configuration errors; none when its features are unknown. */
export function checkFeatureNeeds(needs: readonly FeatureNeed[], set: FeatureSet): ConfigIssue[] {
  if (set.kind === "unknown") return [];
  return needs
    .filter((need) => !set.features.has(need.feature))
    .map((need) =>
      createIssue(
        need.variable,
        `${need.what} needs Tailscale's "${need.feature}" feature, which ${set.binary} was built without (it would do nothing, or stop tailscaled)`,
        `remove it, or use an image built with it: npm run image -- --features +${need.feature} (README, "The image")`,
      ),
    );
}
