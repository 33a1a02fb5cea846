// An exit node chosen in TS_EXTRA_ARGS: --exit-node-allow-lan-access is added when not given, and
// refused when given as false, so the container keeps answering the router and its LAN.
import type { UpPreference } from "../tailscale/up-flags.ts";
import { createIssue, type ConfigIssue } from "./config-issue.ts";

const EXIT_NODE = "exit-node";
const ALLOW_LAN = "exit-node-allow-lan-access";

/** Why the flag is added: what an exit node without it does to a container on a router. */
export const LAN_ACCESS_REASON = "with an exit node, tailscaled sends the container's replies to the router (and to the LAN hosts it reaches directly) into the tailnet unless LAN access is allowed";

/** The exit node asked for (`--exit-node=X` with X not empty), if any. */
export function findExitNode(preferences: readonly UpPreference[]): string | undefined {
  const value = preferences.find((preference) => preference.name === EXIT_NODE)?.value;
  return value === undefined || value === "" ? undefined : value;
}

/**
 * With an exit node: adds `--exit-node-allow-lan-access` (as a config-file field, marked as added)
 * when it was not given; an issue naming `variable` when it was given as false. Without one: as is.
 */
export function addExitNodeLanAccess(preferences: readonly UpPreference[], variable: string): { readonly preferences: readonly UpPreference[]; readonly issues: readonly ConfigIssue[] } {
  const exitNode = findExitNode(preferences);
  if (exitNode === undefined) return { preferences, issues: [] };
  const given = preferences.find((preference) => preference.name === ALLOW_LAN);
  if (given?.value === "false") {
    const problem = `--${ALLOW_LAN}=false with --${EXIT_NODE}=${exitNode} cuts the container off from the router: ${LAN_ACCESS_REASON}`;
    return { preferences, issues: [createIssue(variable, problem, `remove --${ALLOW_LAN}=false (with an exit node the supervisor sets it to true)`)] };
  }
  if (given !== undefined) return { preferences, issues: [] };
  const added: UpPreference = { name: ALLOW_LAN, value: "true", configField: { name: "allowLANWhileUsingExitNode", value: true }, addedWith: `--${EXIT_NODE}` };
  return { preferences: [...preferences, added], issues: [] };
}
