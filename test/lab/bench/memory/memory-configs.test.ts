// The memory benchmark's configurations: the default table, or the settings named in SETTINGS.
import { describe, expect, it } from "vitest";
import { memoryConfigs, parseSettings } from "./memory-configs.ts";

describe("parseSettings", () => {
  it("no SETTINGS: the default table (limits 128 and 64 MiB, chosen and off, and the two without a limit)", () => {
    expect(parseSettings(undefined).map((setting) => [setting.memoryMib, setting.goMemLimit])).toEqual([
      [undefined, undefined],
      [128, undefined],
      [128, "off"],
      [64, undefined],
      [64, "off"],
      [undefined, "24MiB"],
    ]);
  });

  it("named settings, in their order", () => {
    expect(parseSettings("128:chosen, 128:off,128:112MiB,none:24MiB")).toEqual([
      { memoryMib: 128, goMemLimit: undefined, what: "128 MiB, GOMEMLIMIT chosen" },
      { memoryMib: 128, goMemLimit: "off", what: "128 MiB, GOMEMLIMIT=off" },
      { memoryMib: 128, goMemLimit: "112MiB", what: "128 MiB, GOMEMLIMIT=112MiB" },
      { memoryMib: undefined, goMemLimit: "24MiB", what: "no limit, GOMEMLIMIT=24MiB" },
    ]);
  });

  it.each(["128", "128:", "128:96", "x:off", "128:off;64:off"])("%j is refused with the form to write", (raw) => {
    expect(() => parseSettings(raw)).toThrow(/write LIMIT:GOMEMLIMIT/);
  });
});

describe("memoryConfigs", () => {
  it("each variant with each setting, ids and podman limits from them", () => {
    expect(memoryConfigs(["standard", "tiny"], parseSettings("128:chosen,none:off"))).toEqual([
      { id: "standard-128-chosen", label: "standard, 128 MiB, GOMEMLIMIT chosen", variant: "standard", memory: "128m", goMemLimit: undefined },
      { id: "standard-nolimit-off", label: "standard, no limit, GOMEMLIMIT=off", variant: "standard", memory: undefined, goMemLimit: "off" },
      { id: "tiny-128-chosen", label: "tiny, 128 MiB, GOMEMLIMIT chosen", variant: "tiny", memory: "128m", goMemLimit: undefined },
      { id: "tiny-nolimit-off", label: "tiny, no limit, GOMEMLIMIT=off", variant: "tiny", memory: undefined, goMemLimit: "off" },
    ]);
  });
});
