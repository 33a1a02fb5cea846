// The update path of a router (docker/routeros/tailscale-update.rsc), without RouterOS: the registry side is the
// script's own requests, made by curl standing in for /tool/fetch (URLs and headers evaluated from the
// script's text, against a real registry wanting tokens as ghcr.io does); the container side is podman:
// a container of the tag's first image on a state volume, Running; a new image pushed to the same tag
// (another digest); the container re-created from the tag, on the same volume, without the key:
// Running, the route still approved, traffic through the subnet route.
import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podman, uniqueName, type Container } from "../lab/podman.ts";
import { registryGet, startRegistry, type Registry } from "../lab/registry.ts";
import { evaluate, readFetchCalls, readLocals, readSet, splitHeaderField } from "../lab/routeros-script.ts";
import { approveRoute, routerEnv, startRouter } from "../lab/router.ts";
import { createTopology, type Topology } from "../lab/topology.ts";
import { checkTrafficBothWays } from "../lab/traffic.ts";
import { ROOT } from "../support/qjs.ts";

const SCRIPT = readFileSync(`${ROOT}docker/routeros/tailscale-update.rsc`, "utf8");
const LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const RUNNING = /INFO supervisor: tailscale is running /;

/** One HTTP request as /tool/fetch makes it (GET; http-header-field split into headers), by curl. */
async function fetchLikeRouterOs(url: string, headerField?: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const headers = headerField === undefined ? [] : splitHeaderField(headerField).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const { stdout } = await execa("curl", ["-sS", "--max-time", "30", "-D", "-", ...headers, url]);
  const end = stdout.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = stdout.slice(0, end).split("\r\n");
  return {
    status: Number(statusLine.split(" ")[1]),
    headers: Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()])),
    body: stdout.slice(end + 4),
  };
}

let registry: Registry;
let repository: string;

/** The script's settings for this registry (what a user edits at its top). */
const settings = () => ({ tsRegistry: registry.host, tsScheme: "http", tsRepository: repository, tsTag: "standard", tsTokenService: registry.tokenService ?? "" });

/** The registry side of one run of the script: its token request, then its manifest request; the digest it reads and the image it would add. */
async function runScriptRequests(): Promise<{ digest: string; image: string }> {
  const variables = readLocals(SCRIPT, settings());
  const calls = readFetchCalls(SCRIPT);
  expect(calls).toEqual([
    { urlVariable: "tsTokenUrl", headerVariable: undefined, output: "user" },
    { urlVariable: "tsManifestUrl", headerVariable: "tsHeaders", output: "user-with-headers" },
  ]);
  const [tokenUrl = "", manifestUrl = ""] = calls.map((call) => variables[call.urlVariable] ?? "");
  // "&" breaks RouterOS /tool/fetch url= (README): the script's URLs have none.
  expect(tokenUrl).not.toContain("&");
  expect(manifestUrl).not.toContain("&");
  const tokenReply = await fetchLikeRouterOs(tokenUrl);
  expect(tokenReply.status).toBe(200);
  expect(registry.tokenRequests.at(-1)?.url).toBe(tokenUrl.slice(tokenUrl.indexOf("/token")));
  const token = (JSON.parse(tokenReply.body) as { token: string }).token;
  const manifestReply = await fetchLikeRouterOs(manifestUrl, evaluate(readSet(SCRIPT, "tsHeaders"), { ...variables, tsToken: token }));
  expect(manifestReply.status).toBe(200);
  expect(manifestReply.headers["content-type"]).toBe(LIST);
  return { digest: manifestReply.headers["docker-content-digest"] ?? "", image: variables["tsImage"] ?? "" };
}

/** The tag's manifest list digest as the registry states it (an independent reader: skopeo). */
async function listDigest(tag: string): Promise<string> {
  const { stdout } = await execa("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", `docker://${registry.host}/${repository}:${tag}`]);
  return stdout.trim();
}

async function push(out: string, options: { force?: boolean; env?: Record<string, string> } = {}): Promise<{ exitCode: number; stderr: string }> {
  const args = ["run", "--silent", "push", "--", `${registry.host}/${repository}`, "--insecure", "--out", out, ...(options.force === true ? ["--force"] : [])];
  const pushed = await execa("npm", args, { cwd: ROOT, reject: false, timeout: 1_200_000, env: options.env ?? {} });
  return { exitCode: pushed.exitCode ?? -1, stderr: pushed.stderr };
}

/** podman pull of the image the script adds, the router's platform; a name of this run's own for it. */
const pulledNames: string[] = [];
async function pullAsRouter(image: string): Promise<string> {
  const pulled = await podman(["pull", "-q", "--tls-verify=false", "--platform", "linux/amd64", image], { timeoutMs: 300_000 });
  if (pulled.exitCode !== 0) throw new Error(`podman pull ${image}: ${pulled.stderr}`);
  const id = pulled.stdout.trim().split("\n").at(-1) ?? "";
  const name = `localhost/ts-update-${process.pid}:${pulledNames.length}`;
  await podman(["tag", id, name]);
  pulledNames.push(name);
  return id;
}

describe("update path: a new image on the tag, found by the script's requests, the container re-created from it", () => {
  let topology: Topology;
  let work: string;
  const containers: Container[] = [];
  beforeAll(async () => {
    registry = await startRegistry({ tokenAuth: true });
    repository = `owner${process.pid}/routeros-tailscale`;
    topology = await createTopology(`tu${process.pid % 100000}`);
    work = mkdtempSync(join(tmpdir(), "ts-update-"));
  }, 300_000);
  afterAll(async () => {
    for (const container of containers) await container.remove();
    // Only the names this test gave or pulled (an image id may also be another test's).
    for (const name of [...pulledNames, `${registry?.host}/${repository}:standard`]) await podman(["rmi", name]);
    await topology?.remove();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  }, 300_000);

  it("release A: Running from the tag with the key; release B pushed (another digest): the script's requests see the change; re-created from the tag on the same state without the key: Running, the route still approved, traffic both ways", async () => {
    expect((await push(join(ROOT, "dist"))).exitCode).toBe(0);
    const first = await runScriptRequests();
    expect(first.digest).toBe(await listDigest("standard"));
    // Without the token the registry refuses: the script's token request is needed, as on ghcr.io.
    expect((await fetchLikeRouterOs(`http://${registry.host}/v2/${repository}/manifests/standard`, `Accept:${LIST}`)).status).toBe(401);

    // The router: the tag's amd64 image with the key, on a state volume.
    const imageA = await pullAsRouter(first.image);
    const stateDir = join(work, "state");
    const hostname = "router-updated";
    const env = routerEnv(topology, { key: await topology.headscale.createKey(), hostname });
    const a = await startRouter(topology, { image: imageA, stateDir, env, name: uniqueName("upd-a") });
    containers.push(a);
    await a.waitForLog(RUNNING, 120_000);
    const client = await topology.startClient();
    await approveRoute(topology, hostname);
    await checkTrafficBothWays(topology, client.ip);

    // Release B: the same recipe, another image config (its source label). npm run push builds it
    // (nothing in outB yet), then refuses to replace the immutable tag with it; --force does.
    const outB = join(work, "dist-b");
    const refused = await push(outB, { env: { IMAGE_SOURCE: "https://example.invalid/release-b" } });
    expect(refused.stderr).toMatch(/lacks a complete image .*building it: npm run image -- --out /);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/already holds another image .*immutable tags are never replaced/);
    expect(await runScriptRequests()).toEqual(first);
    expect((await push(outB, { force: true })).exitCode).toBe(0);

    const second = await runScriptRequests();
    expect(second.digest).not.toBe(first.digest);
    expect(second.digest).toBe(await listDigest("standard"));
    expect(second.image).toBe(first.image);

    // What the script does then: stop, remove, add from the tag with the same settings, start.
    expect((await a.stop(10)).exitCode).toBe(0);
    await a.remove();
    const imageB = await pullAsRouter(second.image);
    expect(imageB).not.toBe(imageA);
    const amd64B = JSON.parse((await registryGet(registry, repository, `manifests/${second.digest}`, { Accept: LIST })).body.toString()) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    const manifestB = JSON.parse((await registryGet(registry, repository, `manifests/${amd64B.manifests.find((entry) => entry.platform.architecture === "amd64")?.digest}`, { Accept: "application/vnd.docker.distribution.manifest.v2+json" })).body.toString()) as { config: { digest: string } };
    expect(`sha256:${imageB}`).toBe(manifestB.config.digest);
    const { TS_AUTHKEY: _key, ...envWithoutKey } = env;
    const b = await startRouter(topology, { image: imageB, stateDir, env: envWithoutKey, name: uniqueName("upd-b") });
    containers.push(b);
    const logs = await b.waitForLog(RUNNING, 120_000);
    expect(logs).not.toContain("command=login");
    expect((await topology.headscale.listNodes()).filter((node) => node.name === hostname)).toHaveLength(1);
    // No approval again: the route approved for A carries over to the same node.
    await checkTrafficBothWays(topology, client.ip);
    expect((await b.stop(10)).exitCode).toBe(0);

    // The next run finds the digest it recorded: nothing to do.
    expect((await runScriptRequests()).digest).toBe(second.digest);
  }, 1_800_000);
});
