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

/** Every configuration for these variants, standard's first. */
export function memoryConfigs(variants: readonly Variant[]): MemoryConfig[] {
  return variants.flatMap((variant) =>
    SETTINGS.map((setting) => ({
      id: `${variant}-${setting.memoryMib ?? "nolimit"}-${setting.goMemLimit ?? "chosen"}`.toLowerCase(),
      label: `${variant}, ${setting.what}`,
      variant,
      memory: setting.memoryMib === undefined ? undefined : `${setting.memoryMib}m`,
      goMemLimit: setting.goMemLimit,
    })),
  );
}
