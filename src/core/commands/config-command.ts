// `config`: print the effective configuration, redacted, with where each value came from.
import { describeConfig } from "../config/report/describe-config.ts";
import type { ConfigLoad } from "../config/load-config.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";

/** Prints the configuration to stdout; invalid configuration (already reported) exits 78. */
export function runConfigCommand(load: ConfigLoad, stdout: (text: string) => void): Outcome {
  if (!load.ok) return { exitCode: EXIT_CODE.config };
  stdout(`${describeConfig(load.config).join("\n")}\n`);
  return { exitCode: EXIT_CODE.ok };
}
