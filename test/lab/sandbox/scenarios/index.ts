// The scenarios of `npm start -- --scenario NAME`, run after the default demo, each step by step with
// the RouterOS commands it mirrors.
import type { Scenario } from "./scenario.ts";
import { EXIT_NODE } from "./exit-node.ts";
import { LAN_MASQUERADE } from "./lan-masquerade.ts";
import { MAGIC_DNS } from "./magic-dns.ts";
import { ROUTER_EXIT_NODE } from "./router-exit-node.ts";

export type { Scenario, ScenarioRun } from "./scenario.ts";

/** Every scenario, by name. */
export const SCENARIOS: readonly Scenario[] = [LAN_MASQUERADE, EXIT_NODE, ROUTER_EXIT_NODE, MAGIC_DNS];

/** The scenario of that name, or undefined. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
