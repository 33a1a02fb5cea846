// The configurations of the memory benchmark: this image (standard and tiny) with the container's
// memory limited as RouterOS's memory-high limits it (podman --memory), and tailscaled's GOMEMLIMIT
// as the supervisor chooses it (75 % of the limit) or turned off, beside no limit at all and a tight
// GOMEMLIMIT (what a small router without a container limit would need to hold tailscaled down).
import type { Variant } from "../../podman.ts";

/** One configuration: a column of the table. */
export interface MemoryConfig {
  readonly id: string;
  readonly label: string;
  readonly variant: Variant;
  /** podman --memory; undefined: no limit. */
  readonly memory: string | undefined;
  /** GOMEMLIMIT given to the container (the supervisor passes a user's value on); undefined: the supervisor's choice. */
  readonly goMemLimit: string | undefined;
}

/** The limits (MiB) and GOMEMLIMIT settings measured for each variant. */
const SETTINGS: ReadonlyArray<{ memoryMib: number | undefined; goMemLimit: string | undefined; what: string }> = [
  { memoryMib: undefined, goMemLimit: undefined, what: "no limit" },
  { memoryMib: 128, goMemLimit: undefined, what: "128 MiB, GOMEMLIMIT chosen (96MiB)" },
  { memoryMib: 128, goMemLimit: "off", what: "128 MiB, GOMEMLIMIT=off" },
  { memoryMib: 64, goMemLimit: undefined, what: "64 MiB, GOMEMLIMIT chosen (48MiB)" },
  { memoryMib: 64, goMemLimit: "off", what: "64 MiB, GOMEMLIMIT=off" },
  { memoryMib: undefined, goMemLimit: "24MiB", what: "no limit, GOMEMLIMIT=24MiB" },
];

/**
 * The settings named in `SETTINGS` (e.g. `128:chosen,128:off,128:112MiB,none:24MiB`: the limit in MiB or
 * `none`, then `chosen` (the supervisor's choice), `off` or a GOMEMLIMIT value), to compare rules side by
 * side; undefined: the default table above.
 */
export function parseSettings(raw: string | undefined): Array<{ memoryMib: number | undefined; goMemLimit: string | undefined; what: string }> {
  if (raw === undefined || raw.trim() === "") return [...SETTINGS];
  return raw.split(",").map((item) => {
    const match = /^\s*(none|\d+):(chosen|off|\d+MiB)\s*$/.exec(item);
    if (match === null) throw new Error(`SETTINGS item ${JSON.stringify(item)}: write LIMIT:GOMEMLIMIT, LIMIT a MiB count or none, GOMEMLIMIT chosen, off or a count like 112MiB`);
    const memoryMib = match[1] === "none" ? undefined : Number(match[1]);
    const goMemLimit = match[2] === "chosen" ? undefined : match[2];
    return { memoryMib, goMemLimit, what: `${memoryMib === undefined ? "no limit" : `${memoryMib} MiB`}, GOMEMLIMIT${goMemLimit === undefined ? " chosen" : `=${goMemLimit}`}` };
  });
}

/** Every configuration for these variants, standard's first. */
export function memoryConfigs(variants: readonly Variant[], settings = SETTINGS): MemoryConfig[] {
  return variants.flatMap((variant) =>
    settings.map((setting) => ({
      id: `${variant}-${setting.memoryMib ?? "nolimit"}-${setting.goMemLimit ?? "chosen"}`.toLowerCase(),
      label: `${variant}, ${setting.what}`,
      variant,
      memory: setting.memoryMib === undefined ? undefined : `${setting.memoryMib}m`,
      goMemLimit: setting.goMemLimit,
    })),
  );
}
