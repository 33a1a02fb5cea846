// `config [--json]`: print the effective configuration, redacted, with where each value came from.
import { toConfigJson } from "../config/report/config-json.ts";
import { describeConfig } from "../config/report/describe-config.ts";
import type { ConfigLoad } from "../config/load-config.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { escapeToAscii } from "../text/ascii.ts";

/**
 * Prints the configuration to stdout: aligned rows, or with `json` one JSON document (also when the
 * configuration is invalid: its problems). An invalid configuration (already logged) exits 78.
 */
export function runConfigCommand(load: ConfigLoad, stdout: (text: string) => void, options: { readonly json: boolean }): Outcome {
  // escapeToAscii: JSON.stringify leaves non-ASCII (and U+2028) as is; the output is ASCII, as a log line is.
  if (options.json) stdout(`${escapeToAscii(JSON.stringify(toConfigJson(load)))}\n`);
  else if (load.ok) stdout(`${describeConfig(load.config).join("\n")}\n`);
  return { exitCode: load.ok ? EXIT_CODE.ok : EXIT_CODE.config };
}
