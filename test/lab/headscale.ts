// A real Headscale (built by test/setup/provision-tailscale.sh) on loopback, with the fixture config.
import { execa, execaSync } from "execa";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { findFreePort } from "./free-port.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/qjs.ts";

const FIXTURES = `${ROOT}test/fixtures/tailscale`;

/**
 * The Headscale of the topology (test/lab/topology.ts) serves plain HTTP (no certificates offline), and so does its embedded DERP
 * relay; tailscaled speaks TLS to DERP unless told otherwise (derphttp's TS_DEBUG_USE_DERP_HTTP).
 * Without it every DERP connection fails ("tls: first record does not look like a TLS handshake"),
 * and traffic waits for a direct path. A TS_DEBUG_* variable: the supervisor passes it on to tailscaled.
 */
export const DERP_OVER_HTTP = { TS_DEBUG_USE_DERP_HTTP: "true" } as const;

/** A running Headscale and the CLI calls tests need. */
export interface Headscale {
  readonly url: string;
  readonly dir: string;
  /** Creates a pre-auth key for user `test` (single-use unless `reusable`). */
  createKey(options?: { reusable?: boolean; expiration?: string }): Promise<string>;
  listKeys(): Promise<Array<{ id: string; used: boolean }>>;
  listNodes(): Promise<Array<{ id: string; name: string; online: boolean }>>;
  /** Approves advertised routes of a node (`headscale nodes approve-routes`). */
  approveRoutes(nodeId: string, routes: readonly string[]): Promise<void>;
  /** Deletes a node (`headscale nodes delete`). */
  deleteNode(nodeId: string): Promise<void>;
  /** The argv that runs Headscale's CLI against this server (for commands shown to users). */
  readonly cliArgv: readonly string[];
  /** Host pid of the server while it serves. */
  pid(): number | undefined;
  /** Stops serving (the database stays); a no-op when stopped. */
  stop(): Promise<void>;
  /** Serves again after `stop`, with the same database, keys and nodes. */
  start(): Promise<void>;
}

/** Paths of the real binaries, from test/run.sh (or the provisioning script when run alone). */
export function realBinaries(): { tailscaled: string; tailscale: string; headscale: string } {
  let { TAILSCALED: tailscaled, TAILSCALE: tailscale, HEADSCALE: headscale } = process.env;
  if (tailscaled === undefined || tailscale === undefined || headscale === undefined) {
    const printed = execaSyncLines(`${ROOT}test/setup/provision-tailscale.sh`);
    tailscaled = printed["TAILSCALED"];
    tailscale = printed["TAILSCALE"];
    headscale = printed["HEADSCALE"];
  }
  if (tailscaled === undefined || tailscale === undefined || headscale === undefined) throw new Error("tailscale binaries not provisioned");
  return { tailscaled, tailscale, headscale };
}

/**
 * Starts Headscale on loopback and creates user `test`. With `netns`, inside that network
 * namespace (see createTestNetwork); its CLI talks over a unix socket, from anywhere. With
 * `address`, it listens there with its embedded DERP and STUN (headscale-topology.yaml), MagicDNS on with `magicDns`. Its
 * database and config go to `dir` (default: a new temp dir); `policy`: the tailnet policy file.
 * `detached`: the server in a session of its own.
 */
export async function startHeadscale(netns?: string, options: { address?: string; dir?: string; detached?: boolean; policy?: string; magicDns?: boolean } = {}): Promise<Headscale> {
  const { headscale } = realBinaries();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "headscale-"));
  mkdirSync(dir, { recursive: true });
  const port = netns === undefined ? await findFreePort() : 8080;
  const template = options.address === undefined ? "headscale-config.yaml" : "headscale-topology.yaml";
  let config = readFileSync(`${FIXTURES}/${template}`, "utf8").replaceAll("@HS_DIR@", dir).replaceAll("@HS_PORT@", String(port)).replaceAll("@DERP_YAML@", `${FIXTURES}/derp-stub.yaml`).replaceAll("@HS_ADDR@", options.address ?? "127.0.0.1").replaceAll("@MAGIC_DNS@", String(options.magicDns === true));
  // A tailnet policy (HuJSON, Headscale's file mode), e.g. to allow Tailscale SSH; none: everything may talk, no SSH.
  if (options.policy !== undefined) {
    writeFileSync(`${dir}/policy.json`, options.policy);
    config = config.replace(/^(policy:\n  mode: file\n  path: )""$/m, `$1"${dir}/policy.json"`);
    if (!config.includes(`${dir}/policy.json`)) throw new Error(`${template} has no empty policy path to set`);
  }
  writeFileSync(`${dir}/config.yaml`, config);
  const cli = (args: string[]) => execa(headscale, ["-c", `${dir}/config.yaml`, ...args], { reject: true });
  const serve = [headscale, "-c", `${dir}/config.yaml`, "serve"];
  // Its output goes to files in `dir`, not into this process's memory (the sandbox runs for hours).
  const output = { reject: false, stdin: "ignore", stdout: { file: `${dir}/serve.out` }, stderr: { file: `${dir}/serve.log` }, detached: options.detached === true } as const;
  const spawnServer = () => (netns === undefined ? execa(serve[0] ?? "", serve.slice(1), output) : execa("ip", ["netns", "exec", netns, ...serve], output));
  let server: ReturnType<typeof spawnServer> | undefined;
  const start = async (): Promise<void> => {
    if (server !== undefined) return;
    server = spawnServer();
    await waitUntilServing(() => cli(["users", "list", "-o", "json"]));
  };
  await start();
  await cli(["users", "create", "test"]);
  const users = JSON.parse((await cli(["users", "list", "-o", "json"])).stdout) as Array<{ id: string | number; name: string }>;
  const userId = String(users.find((user) => user.name === "test")?.id ?? "1");
  return {
    url: `http://${options.address ?? "127.0.0.1"}:${port}`,
    dir,
    async createKey(options = {}) {
      const args = ["preauthkeys", "create", "--user", userId, "-e", options.expiration ?? "1h", ...(options.reusable === true ? ["--reusable"] : [])];
      const output = (await cli(args)).stdout.trim().split("\n");
      return output[output.length - 1]?.trim() ?? "";
    },
    async listKeys() {
      const keys = JSON.parse((await cli(["preauthkeys", "list", "-o", "json"])).stdout || "[]") as Array<{ id: string | number; used?: boolean }> | null;
      return (keys ?? []).map((key) => ({ id: String(key.id), used: key.used === true }));
    },
    async listNodes() {
      const nodes = JSON.parse((await cli(["nodes", "list", "-o", "json"])).stdout || "[]") as Array<{ id: string | number; name: string; online?: boolean }> | null;
      return (nodes ?? []).map((node) => ({ id: String(node.id), name: node.name, online: node.online === true }));
    },
    async approveRoutes(nodeId, routes) {
      await cli(["nodes", "approve-routes", "--identifier", nodeId, "--routes", routes.join(",")]);
    },
    async deleteNode(nodeId) {
      await cli(["nodes", "delete", "--identifier", nodeId, "--force"]);
    },
    cliArgv: [headscale, "-c", `${dir}/config.yaml`],
    pid: () => server?.pid,
    async stop() {
      const running = server;
      server = undefined;
      if (running === undefined) return;
      running.kill("SIGTERM");
      await running;
    },
    start,
  };
}

async function waitUntilServing(probe: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const up = await probe().then(() => true, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("headscale did not start serving");
}

/**
 * A network namespace for tests that run the real tailscaled: loopback plus a veth pair with the
 * default route, so tailscaled sees a network that is up while all its traffic stays inside.
 */
export async function createTestNetwork(name: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const ip = (...args: string[]) => execa("ip", args);
  await execa("ip", ["netns", "del", name], { reject: false });
  await ip("netns", "add", name);
  await ip("-n", name, "link", "set", "lo", "up");
  await ip("-n", name, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
  await ip("-n", name, "addr", "add", "192.0.2.2/24", "dev", "veth0");
  await ip("-n", name, "link", "set", "veth0", "up");
  await ip("-n", name, "link", "set", "veth1", "up");
  await ip("-n", name, "route", "add", "default", "dev", "veth0");
  return { name, remove: async () => void (await execa("ip", ["netns", "del", name], { reject: false })) };
}

function execaSyncLines(script: string): Record<string, string> {
  const result: Record<string, string> = {};
  const { stdout } = execaSync("bash", [script]);
  for (const line of stdout.split("\n")) {
    const [name, ...rest] = line.split("=");
    if (name !== undefined && rest.length > 0) result[name] = rest.join("=");
  }
  return result;
}
