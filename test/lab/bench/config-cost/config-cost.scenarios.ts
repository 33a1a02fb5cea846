// Environments for the configuration-cost benchmark (config-cost.ts) and its tests: the shapes that
// were slow (issue 9 item 5). A process gets at most 128 KiB per environment string (Linux
// MAX_ARG_STRLEN), so the heavy ones spread about 1 MB over several variables, each at most that.

/** One environment to validate. */
export interface Scenario {
  readonly name: string;
  readonly env: Record<string, string>;
}

/** The longest value one environment string can carry with its name (Linux: 32 pages of 4 KiB). */
export const MAX_STRING = 128 * 1024 - 64;

// Compact forms, so that 10,000 routes fit in one variable: 1.0.0.0/16 ... 99.99.0.0/16; 1::/16 ...
const ipv4Routes = (count: number): string[] => Array.from({ length: count }, (_, index) => `${1 + (index % 99)}.${Math.floor(index / 99) % 256}.0.0/16`);
const ipv6Routes = (count: number): string[] => Array.from({ length: count }, (_, index) => `${(index + 1).toString(16)}::/16`);
const fill = (text: string, length: number): string => text.repeat(Math.ceil(length / text.length)).slice(0, length).trimEnd();
const named = (prefix: string, count: number, length: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, "v".repeat(length)]));

const FLAGS = "--accept-routes --ssh=false --operator='a b' --exit-node=100.64.0.1 ";
const KEY_FLAGS = (count: number): string => Array.from({ length: count }, (_, index) => `--authkey="k${index}-SECRET"`).join(" ");

/** The benchmark's environments; `scale` shrinks or grows the counts (tests use smaller ones). */
export function buildScenarios(scale = 1): Scenario[] {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  const string = (length: number): number => Math.min(MAX_STRING, n(length));
  return [
    { name: "empty (baseline)", env: {} },
    { name: `${n(10_000)} IPv4 routes`, env: { TS_ROUTES: ipv4Routes(n(10_000)).join(",") } },
    { name: `${n(10_000)} IPv6 routes`, env: { TS_ROUTES: ipv6Routes(n(10_000)).join(",") } },
    { name: `${n(10_000)} routes with host bits`, env: { TS_ROUTES: ipv4Routes(n(10_000)).map((route) => route.replace(".0/", ".1/")).join(",") } },
    { name: `unknown TS_ name of ${n(16_000)} characters`, env: { [`TS_${"A".repeat(n(16_000))}`]: "x" } },
    { name: `${n(1000)} unknown TS_ variables of 1 KB`, env: named("TS_UNKNOWN_", n(1000), 1000) },
    { name: `${n(100_000)} short unknown variables`, env: named("X", n(100_000), 1) },
    {
      name: "4 x 128 KiB of flags (both names of both args)",
      env: { TS_EXTRA_ARGS: fill(FLAGS, string(MAX_STRING)), TAILSCALE_ARGS: fill(FLAGS, string(MAX_STRING)), TS_TAILSCALED_EXTRA_ARGS: fill("--verbose=1 ", string(MAX_STRING)), TAILSCALED_ARGS: fill("--verbose=1 ", string(MAX_STRING)) },
    },
    { name: "2 x 128 KiB of --authkey=\"...\" flags", env: { TS_EXTRA_ARGS: KEY_FLAGS(n(5000)).slice(0, MAX_STRING), TAILSCALE_ARGS: KEY_FLAGS(n(5000)).slice(0, MAX_STRING) } },
    {
      name: "8 of our variables at 128 KiB each",
      env: {
        TS_ROUTES: ipv4Routes(n(10_000)).join(",").slice(0, MAX_STRING).replace(/,[^,]*$/, ""),
        TS_EXTRA_ARGS: fill(FLAGS, string(MAX_STRING)),
        TS_TAILSCALED_EXTRA_ARGS: fill("--verbose=1 ", string(MAX_STRING)),
        TS_HOSTNAME: fill("router-", string(MAX_STRING)),
        TS_LOGIN_SERVER: `https://${fill("a-b.", string(MAX_STRING) - 8)}`,
        TS_AUTHKEY: fill("tskey-auth-k", string(MAX_STRING)),
        TS_STATE_DIR: `/${fill("dir/", string(MAX_STRING) - 1)}`,
        STARTUP_SCRIPT: `/${fill("s", string(MAX_STRING) - 1)}`,
      },
    },
    { name: `one value of ${n(1_000_000)} characters (refused)`, env: { TS_EXTRA_ARGS: fill(FLAGS, n(1_000_000)) } },
  ];
}

/** Total size of an environment as the kernel counts it (NAME=value and a NUL each). */
export function environmentBytes(env: Record<string, string>): number {
  return Object.entries(env).reduce((sum, [name, value]) => sum + name.length + value.length + 2, 0);
}
