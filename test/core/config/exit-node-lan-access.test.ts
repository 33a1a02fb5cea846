import { describe, expect, it } from "vitest";
import { addExitNodeLanAccess, findExitNode } from "../../../src/core/config/exit-node-lan-access.ts";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { describeConfig } from "../../../src/core/config/report/describe-config.ts";
import { toUpPreference, findUpFlag } from "../../../src/core/tailscale/up-flags.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

const preference = (name: string, value: string) => toUpPreference({ flag: findUpFlag(name)!, value })!;

describe("addExitNodeLanAccess", () => {
  it("no exit node (none, or --exit-node= to clear it): as is", () => {
    for (const preferences of [[], [preference("exit-node", "")]]) {
      expect(addExitNodeLanAccess(preferences, "TS_EXTRA_ARGS")).toEqual({ preferences, issues: [] });
      expect(findExitNode(preferences)).toBeUndefined();
    }
  });

  it("an exit node without the flag: the flag added as a config-file field, marked as added", () => {
    const result = addExitNodeLanAccess([preference("exit-node", "100.64.0.4")], "TS_EXTRA_ARGS");
    expect(result.issues).toEqual([]);
    expect(result.preferences.at(-1)).toEqual({ name: "exit-node-allow-lan-access", value: "true", configField: { name: "allowLANWhileUsingExitNode", value: true }, addedWith: "--exit-node" });
  });

  it("given as true: as is; given as false: refused with the reason and the fix", () => {
    const given = [preference("exit-node", "exit"), preference("exit-node-allow-lan-access", "true")];
    expect(addExitNodeLanAccess(given, "TS_EXTRA_ARGS")).toEqual({ preferences: given, issues: [] });
    expect(addExitNodeLanAccess([preference("exit-node", "exit"), preference("exit-node-allow-lan-access", "false")], "TAILSCALE_ARGS").issues).toEqual([
      {
        variable: "TAILSCALE_ARGS",
        problem: "--exit-node-allow-lan-access=false with --exit-node=exit cuts the container off from the router: with an exit node, tailscaled sends the container's replies to the router (and to the LAN hosts it reaches directly) into the tailnet unless LAN access is allowed",
        fix: "remove --exit-node-allow-lan-access=false (with an exit node the supervisor sets it to true)",
      },
    ]);
  });

  it("through loadConfig: `config` shows the flag as added", () => {
    const load = loadConfig({ TS_EXTRA_ARGS: "--exit-node=100.64.0.4" }, createFakeFiles({}));
    if (!load.ok) throw new Error("expected a valid configuration");
    expect(describeConfig(load.config).find((row) => row.startsWith("TS_EXTRA_ARGS"))).toMatch(/--exit-node=100\.64\.0\.4 --exit-node-allow-lan-access \(added: --exit-node\)\s+from TS_EXTRA_ARGS$/);
  });
});
