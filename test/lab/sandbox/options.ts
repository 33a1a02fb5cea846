// The options of `npm start` (`npm start -- --variant tiny --arch arm64`), checked: every problem
// named with the fix.
import type { Arch, Variant } from "../podman.ts";
import { findScenario, SCENARIOS } from "./scenarios/index.ts";

export interface StartOptions {
  readonly variant: Variant;
  readonly arch: Arch;
  /** On a failed step, leave everything up for inspection (removed by Ctrl-C or `down`). */
  readonly keep: boolean;
  readonly help: boolean;
  /** A scenario to show after the demo (scenarios/index.ts). */
  readonly scenario?: string;
}

export const START_USAGE = `npm start [-- OPTIONS]   (as root)

Runs the image as a RouterOS-like container in network namespaces of its own, against an embedded
Headscale, and shows subnet routing working end to end; stays up until Ctrl-C, then removes every
namespace, process and container it made.

  --variant tiny|standard   which image (default standard; tiny has UPX-compressed binaries)
  --arch amd64|arm64|armv7  amd64 (default) runs natively with kernel TUN; arm64 and armv7 run
                            emulated by qemu-user, in userspace networking
  --keep                    when a step fails, leave everything up to look at
  --scenario NAME           after the demo, show one more thing the LAN gets from the tailnet (amd64):
${SCENARIOS.map((scenario) => `                              ${scenario.name.padEnd(17)} ${scenario.what}`).join("\n")}
  -h, --help                this text

Environment: TS_SANDBOX_NAME (default tsbox) names the sandbox, to run two side by side.
Commands while it runs: npm run sandbox -- help`;

/** Parses argv (after `--`); problems are listed all at once. */
export function parseStartOptions(argv: readonly string[]): { ok: true; options: StartOptions } | { ok: false; problems: string[] } {
  let variant: Variant = "standard";
  let arch: Arch = "amd64";
  let keep = false;
  let help = false;
  let scenario: string | undefined;
  const problems: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] ?? "";
    const [flag, inline] = word.startsWith("--") && word.includes("=") ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word, undefined];
    const value = (): string | undefined => inline ?? argv[++index];
    if (flag === "--variant") {
      const given = value();
      if (given === "tiny" || given === "standard") variant = given;
      else problems.push(`--variant ${given ?? "(missing)"}: use --variant tiny or --variant standard`);
    } else if (flag === "--arch") {
      const given = value();
      if (given === "amd64" || given === "arm64" || given === "armv7") arch = given;
      else problems.push(`--arch ${given ?? "(missing)"}: use --arch amd64, --arch arm64 or --arch armv7`);
    } else if (flag === "--scenario") {
      const given = value();
      if (given !== undefined && findScenario(given) !== undefined) scenario = given;
      else problems.push(`--scenario ${given ?? "(missing)"}: use one of ${SCENARIOS.map((known) => known.name).join(", ")}`);
    } else if (flag === "--keep") keep = true;
    else if (flag === "-h" || flag === "--help") help = true;
    else problems.push(`unknown option ${word}: see npm start -- --help`);
  }
  if (scenario !== undefined && arch !== "amd64") problems.push(`--scenario ${scenario} needs kernel TUN networking: leave out --arch ${arch} (emulated arches run in userspace networking)`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options: { variant, arch, keep, help, ...(scenario === undefined ? {} : { scenario }) } };
}
