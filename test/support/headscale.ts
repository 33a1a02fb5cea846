// A real Headscale (built by test/setup/provision-tailscale.sh) on loopback, with the fixture config.
import { execa, execaSync } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./qjs.ts";

const FIXTURES = `${ROOT}test/fixtures/tailscale`;

/** A running Headscale and the CLI calls tests need. */
export interface Headscale {
  readonly url: string;
  readonly dir: string;
  /** Creates a pre-auth key for user `test` (single-use unless `reusable`). */
  createKey(options?: { reusable?: boolean; expiration?: string }): Promise<string>;
  listNodes(): Promise<Array<{ id: string; name: string }>>;
  stop(): Promise<void>;
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

/** Starts Headscale on a free loopback port and creates user `test`. */
export async function startHeadscale(): Promise<Headscale> {
  const { headscale } = realBinaries();
  const dir = mkdtempSync(join(tmpdir(), "headscale-"));
  const port = await findFreePort();
  const config = readFileSync(`${FIXTURES}/headscale-config.yaml`, "utf8").replaceAll("@HS_DIR@", dir).replaceAll("@HS_PORT@", String(port)).replaceAll("@DERP_YAML@", `${FIXTURES}/derp-stub.yaml`);
  writeFileSync(`${dir}/config.yaml`, config);
  const cli = (args: string[]) => execa(headscale, ["-c", `${dir}/config.yaml`, ...args], { reject: true });
  const server = execa(headscale, ["-c", `${dir}/config.yaml`, "serve"], { reject: false, all: true });
  await waitUntilListening(port);
  await cli(["users", "create", "test"]);
  const users = JSON.parse((await cli(["users", "list", "-o", "json"])).stdout) as Array<{ id: string | number; name: string }>;
  const userId = String(users.find((user) => user.name === "test")?.id ?? "1");
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    async createKey(options = {}) {
      const args = ["preauthkeys", "create", "--user", userId, "-e", options.expiration ?? "1h", ...(options.reusable === true ? ["--reusable"] : [])];
      const output = (await cli(args)).stdout.trim().split("\n");
      return output[output.length - 1]?.trim() ?? "";
    },
    async listNodes() {
      const nodes = JSON.parse((await cli(["nodes", "list", "-o", "json"])).stdout || "[]") as Array<{ id: string | number; name: string }> | null;
      return (nodes ?? []).map((node) => ({ id: String(node.id), name: node.name }));
    },
    async stop() {
      server.kill("SIGTERM");
      await server;
    },
  };
}

async function waitUntilListening(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const up = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`headscale did not listen on ${port}`);
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
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
