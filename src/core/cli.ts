// The bundle's command line: which command the arguments ask for.

/** A parsed command line. */
export type Command =
  | { readonly kind: "supervise" }
  | { readonly kind: "config" }
  | { readonly kind: "doctor"; readonly args: readonly string[] }
  | { readonly kind: "health" }
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

/** No arguments (or `supervise`, the image's CMD): supervise; `config`, `doctor`, `health`: ours; anything else goes to `tailscale`. */
export function parseCommandLine(argv: readonly string[]): Command {
  let start = 0;
  while (start < argv.length && ENTRYPOINT_WORDS.test(argv[start] ?? "")) start += 1;
  const [first, ...rest] = argv.slice(start);
  if (first === undefined || (first === "supervise" && rest.length === 0)) return { kind: "supervise" };
  if (first === "config" && rest.length === 0) return { kind: "config" };
  if (first === "doctor") return { kind: "doctor", args: rest };
  if (first === "health" && rest.length === 0) return { kind: "health" };
  return { kind: "tailscale", args: argv.slice(start) };
}
