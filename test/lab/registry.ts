// A real registry for the tests: the reference Docker distribution registry (Debian's docker-registry,
// unpacked into the cache by test/setup/provision-registry.sh) started by the test on loopback, its
// storage in a temp dir. With `tokenAuth`, it wants a bearer token for every request, as ghcr.io does,
// and a token service (SIMULATED here, in this process: ghcr.io's is not reachable offline) hands out
// anonymous tokens: GET /token?scope=repository:NAME:pull[,push] -> {"token": a JWT the registry checks
// against the service's certificate}. Every token request is recorded.
import { execa, execaSync } from "execa";
import { createPrivateKey, randomBytes, sign, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { findFreePort } from "./free-port.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/qjs.ts";

/** A registry the test started, and what it saw. */
export interface Registry {
  /** `127.0.0.1:PORT`: what image references start with. */
  readonly host: string;
  /** The token service's URL (`http://127.0.0.1:PORT/token`), when started with tokenAuth. */
  readonly tokenService: string | undefined;
  /** Token requests so far: path and query, and the request headers. */
  readonly tokenRequests: ReadonlyArray<{ url: string; headers: IncomingHttpHeaders }>;
  /** The registry's own log (its access log included). */
  log(): string;
  stop(): Promise<void>;
}

const SERVICE = "test-registry";
const ISSUER = "test-token-service";

/** The registry binary: from test/run.sh (DOCKER_REGISTRY), or the provisioning script when run alone. */
export function registryBinary(): string {
  return process.env["DOCKER_REGISTRY"] ?? execaSync("bash", [`${ROOT}test/setup/provision-registry.sh`]).stdout.trim().replace(/^DOCKER_REGISTRY=/, "");
}

export async function startRegistry(options: { tokenAuth?: boolean } = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), "ts-registry-"));
  const tokenRequests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  let stopTokens = async () => {};
  let authYaml = "";
  let tokenService: string | undefined;
  if (options.tokenAuth === true) {
    const tokens = await startTokenService(dir, tokenRequests);
    stopTokens = tokens.stop;
    tokenService = tokens.url;
    authYaml = `auth:\n  token:\n    realm: ${tokens.url}\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${tokens.certificate}\n`;
  }
  mkdirSync(join(dir, "storage"));
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    const config = join(dir, "config.yml");
    writeFileSync(config, `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "storage")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`);
    const server = execa(registryBinary(), ["serve", config], { reject: false, stdin: "ignore", stdout: { file: join(dir, "access.log") }, stderr: { file: join(dir, "registry.log") } });
    const host = `127.0.0.1:${port}`;
    const log = () => ["registry.log", "access.log"].map((name) => readFileSync(join(dir, name), "utf8")).join("");
    let exited = false;
    void server.then(() => (exited = true));
    if (await waitUntilServing(host, () => exited)) {
      return {
        host,
        tokenService,
        tokenRequests,
        log,
        async stop() {
          server.kill("SIGTERM");
          await server;
          await stopTokens();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    server.kill("SIGKILL");
    await server;
    // Another process took the port between the probe and the start: try another one.
    if (attempt === 3 || !/address already in use/.test(log())) {
      await stopTokens();
      throw new Error(`the registry did not start:\n${log()}`);
    }
  }
}

/** Polls GET /v2/ until the registry answers (200, or 401 with token auth); false when it exited or never answered. */
async function waitUntilServing(host: string, exited: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited()) {
    const status = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => 0);
    if (status === 200 || status === 401) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** The simulated anonymous token service: grants whatever scope is asked for, to anyone on loopback. */
async function startTokenService(dir: string, requests: Array<{ url: string; headers: IncomingHttpHeaders }>): Promise<{ url: string; certificate: string; stop: () => Promise<void> }> {
  const keyFile = join(dir, "token.key");
  const certificate = join(dir, "token.crt");
  await execa("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile, "-out", certificate, "-days", "2", "-subj", "/CN=test-token-service"]);
  const key = createPrivateKey(readFileSync(keyFile));
  const chain = [new X509Certificate(readFileSync(certificate)).raw.toString("base64")];
  const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
  const server = createHttpServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://token");
    requests.push({ url: request.url ?? "", headers: request.headers });
    if (url.pathname !== "/token") {
      response.writeHead(404).end();
      return;
    }
    // scope=repository:NAME:ACTIONS (NAME may contain "/" but not ":").
    const access = url.searchParams.getAll("scope").map((scope) => {
      const [type = "", ...rest] = scope.split(":");
      const actions = rest.pop() ?? "";
      return { type, name: rest.join(":"), actions: actions.split(",") };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: "JWT", alg: "ES256", x5c: chain }));
    const claims = base64url(JSON.stringify({ iss: ISSUER, sub: "", aud: SERVICE, exp: now + 600, nbf: now - 60, iat: now, jti: randomBytes(8).toString("hex"), access }));
    const signature = sign("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" });
    const token = `${header}.${claims}.${base64url(signature)}`;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, access_token: token, expires_in: 600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the token service has no port");
  return { url: `http://127.0.0.1:${address.port}/token`, certificate, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A client's GET of `/v2/REPOSITORY/PATH`, with an anonymous pull token when the registry wants one. */
export async function registryGet(registry: Registry, repository: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const authorization: Record<string, string> = {};
  if (registry.tokenService !== undefined) {
    const reply = (await (await fetch(`${registry.tokenService}?scope=repository:${repository}:pull`)).json()) as { token: string };
    authorization["Authorization"] = `Bearer ${reply.token}`;
  }
  const response = await fetch(`http://${registry.host}/v2/${repository}/${path}`, { headers: { ...headers, ...authorization }, signal: AbortSignal.timeout(60_000) });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}
