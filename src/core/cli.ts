// The bundle's command line: which command the arguments ask for.

/** A parsed command line. */
export type Command =
  | { readonly kind: "supervise" }
  | { readonly kind: "config" }
  | { readonly kind: "doctor"; readonly args: readonly string[] }
  | { readonly kind: "health" }
  | { readonly kind: "tailscale"; readonly args: readonly string[] };

/** No arguments: supervise; `config`, `doctor`, `health`: ours; anything else goes to `tailscale`. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: "supervise" };
  if (first === "config" && rest.length === 0) return { kind: "config" };
  if (first === "doctor") return { kind: "doctor", args: rest };
  if (first === "health" && rest.length === 0) return { kind: "health" };
  return { kind: "tailscale", args: argv };
}
