import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

describe("the TS_LAN_MASQUERADE rule", () => {
  it("with TS_USERSPACE=true: a problem naming the variable, the reason and the fix", () => {
    const load = loadConfig({ TS_LAN_MASQUERADE: "true", TS_USERSPACE: "1" }, createFakeFiles({}));
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.issues).toEqual([
      {
        variable: "TS_LAN_MASQUERADE",
        value: "true",
        problem: "cannot be honoured with TS_USERSPACE=true: userspace networking forwards nothing from the LAN into the tailnet (there is no tailscale0 to masquerade on)",
        fix: "remove TS_LAN_MASQUERADE, or set TS_USERSPACE=auto (or false) and give the container /dev/net/tun and NET_ADMIN",
      },
    ]);
  });

  it.each([{ TS_USERSPACE: "auto" }, { TS_USERSPACE: "false" }, { TS_LAN_MASQUERADE: "false", TS_USERSPACE: "true" }])("%j: no problem", (env) => {
    expect(loadConfig({ TS_LAN_MASQUERADE: "true", ...env }, createFakeFiles({})).ok).toBe(true);
  });

  it("a bad boolean is refused as any boolean", () => {
    const load = loadConfig({ TS_LAN_MASQUERADE: "yes" }, createFakeFiles({}));
    expect(load.ok ? [] : load.issues.map((issue) => issue.variable)).toEqual(["TS_LAN_MASQUERADE"]);
  });
});
