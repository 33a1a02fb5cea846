// The bundle's command line: which command the arguments ask for.

/** The supervisor's own commands and the options each takes; every other first word goes to `tailscale`. */
export const COMMAND_OPTIONS = {
  supervise: [],
  config: ["--json"],
  doctor: ["--json", "--fix"],
  health: ["--explain"],
  logs: ["-f", "--follow"],
} as const satisfies Record<string, readonly string[]>;

/** A command of the supervisor's own. */
export type SupervisorCommand = keyof typeof COMMAND_OPTIONS;

/** A parsed command line. */
export type Command =
  | { readonly kind: "supervise" }
  | { readonly kind: "config"; readonly json: boolean }
  | { readonly kind: "doctor"; readonly args: readonly string[] }
  | { readonly kind: "health"; readonly explain: boolean }
  | { readonly kind: "logs"; readonly args: readonly string[] }
  | { readonly kind: "unknown-option"; readonly command: SupervisorCommand; readonly unknown: readonly string[] }
  | { readonly kind: "tailscale"; readonly args: readonly string[] };

/**
 * Leading words that name the entrypoint itself rather than a command: the image's supervisor
 * (`/usr/local/bin/supervisor`), the earlier images' qjs and bundle (`/usr/local/bin/qjs
 * /supervisor.mjs`, still valid: `qjs` is a link to the supervisor) and the older MikroTik images' entry script
 * (`/usr/local/bin/tailscale.sh`). RouterOS 7.22+ wants a command, and the older images' guides
 * say `cmd=<entrypoint path>`; where `cmd=` becomes the arguments of the image's ENTRYPOINT (Docker's
 * rule for CMD), that path arrives here and must still mean "supervise".
 */
const ENTRYPOINT_WORDS = /^(?:.*\/)?(?:qjs|supervisor|supervisor\.mjs|tailscale\.sh)$/;

/**
 * No arguments (or `supervise`, the image's CMD): supervise; `config`, `doctor`, `health`, `logs`: ours,
 * with only their own options (anything else is `unknown-option`); any other first word goes to `tailscale`.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  let start = 0;
  while (start < argv.length && ENTRYPOINT_WORDS.test(argv[start] ?? "")) start += 1;
  const [first, ...rest] = argv.slice(start);
  if (first === undefined) return { kind: "supervise" };
  if (!isSupervisorCommand(first)) return { kind: "tailscale", args: argv.slice(start) };
  const options: readonly string[] = COMMAND_OPTIONS[first];
  const unknown = rest.filter((arg) => !options.includes(arg));
  if (unknown.length > 0) return { kind: "unknown-option", command: first, unknown };
  if (first === "config") return { kind: "config", json: rest.includes("--json") };
  if (first === "doctor") return { kind: "doctor", args: rest };
  if (first === "health") return { kind: "health", explain: rest.includes("--explain") };
  if (first === "logs") return { kind: "logs", args: rest };
  return { kind: first };
}

/** How the options of `command` are written in a fix: `doctor takes --json, --fix`, `supervise takes no options`. */
export function describeOptions(command: SupervisorCommand): string {
  const options: readonly string[] = COMMAND_OPTIONS[command];
  return options.length === 0 ? `${command} takes no options` : `${command} takes ${options.join(", ")}`;
}

function isSupervisorCommand(word: string): word is SupervisorCommand {
  return (Object.keys(COMMAND_OPTIONS) as string[]).includes(word);
}
