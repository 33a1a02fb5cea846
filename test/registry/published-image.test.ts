// `npm run push` against a real registry (the reference distribution registry, started here on
// loopback, wanting anonymous bearer tokens as ghcr.io does): the tags, the formats every registry and
// RouterOS pull client take (a Docker v2s2 manifest list of exactly three platforms, v2s2 manifests,
// gzip layers), a client that asks only for the v2s2 manifest type, and podman pulling each platform
// (arm ones under qemu-user) and running it: the same files as the RouterOS archive, the same config.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivePath, IMAGE_TAILSCALE_VERSION, podman, readTarEntry, runOnce, type Arch, type Variant } from "../lab/podman.ts";
import { registryGet, startRegistry, type Registry } from "../lab/registry.ts";
import { listTree } from "../lab/file-tree.ts";
import { ROOT } from "../support/qjs.ts";

const ARCHES: readonly Arch[] = ["amd64", "arm64", "armv7"];
const VARIANTS: readonly Variant[] = ["standard", "tiny"];
const PLATFORM: Record<Arch, string> = { amd64: "linux/amd64", arm64: "linux/arm64", armv7: "linux/arm/v7" };
const LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const V2S2 = "application/vnd.docker.distribution.manifest.v2+json";
const BINFMT = `${ROOT}test/setup/qemu-binfmt.sh`;
const binfmtUser = `vitest-registry-${process.pid}`;
const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const TAILSCALE = IMAGE_TAILSCALE_VERSION;
const RELEASE = `${TAILSCALE}-${JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")).version as string}`;

/** The RouterOS archive's config and layer (the layer as the archive holds it: an uncompressed tar). */
function archiveParts(variant: Variant, arch: Arch): { configDigest: string; layer: Buffer } {
  const archive = readFileSync(archivePath(variant, arch));
  const [entry] = JSON.parse(readTarEntry(archive, "manifest.json").toString()) as Array<{ Config: string; Layers: string[] }>;
  return { configDigest: `sha256:${entry?.Config.replace(/\.json$/, "")}`, layer: readTarEntry(archive, entry?.Layers[0] ?? "") };
}

let registry: Registry;
let repository: string;
const manifest = async (reference: string, accept: string) => registryGet(registry, repository, `manifests/${reference}`, { Accept: accept });

beforeAll(async () => {
  registry = await startRegistry({ tokenAuth: true });
  repository = `owner${process.pid}/routeros-tailscale`;
  const pushed = await execa("npm", ["run", "--silent", "push", "--", `${registry.host}/${repository}`, "--insecure"], { cwd: ROOT, reject: false, timeout: 900_000 });
  if (pushed.exitCode !== 0) throw new Error(`npm run push failed:\n${pushed.stderr}`);
}, 900_000);
afterAll(async () => {
  await registry?.stop();
}, 60_000);

describe("npm run push to a registry wanting tokens, as ghcr.io does", () => {
  it("tags: standard and latest the same, tiny, and the immutable <tailscale>-<project> and <...>-tiny with the same digests", async () => {
    const digest = async (tag: string) => (await manifest(tag, LIST)).headers.get("docker-content-digest");
    expect(await digest("standard")).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await digest("latest")).toBe(await digest("standard"));
    expect(await digest(RELEASE)).toBe(await digest("standard"));
    expect(await digest(`${RELEASE}-tiny`)).toBe(await digest("tiny"));
    expect(await digest("tiny")).not.toBe(await digest("standard"));
    const tags = JSON.parse((await registryGet(registry, repository, "tags/list")).body.toString()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual([RELEASE, `${RELEASE}-tiny`, "latest", "standard", "tiny"].sort());
  });

  it.each(VARIANTS)("%s: a Docker v2s2 manifest list of exactly amd64, arm64, arm/v7 (no attestation, no unknown/unknown), each a v2s2 manifest with one gzip layer: the archive's config, its layer compressed", async (variant) => {
    const list = await manifest(variant, LIST);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe(LIST);
    const parsed = JSON.parse(list.body.toString()) as { schemaVersion: number; mediaType: string; manifests: Array<{ mediaType: string; digest: string; platform: Record<string, string>; annotations?: unknown }> };
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.mediaType).toBe(LIST);
    expect(parsed.manifests.map((entry) => [entry.platform.os, entry.platform.architecture, entry.platform.variant].filter(Boolean).join("/"))).toEqual(ARCHES.map((arch) => PLATFORM[arch]));
    for (const [i, arch] of ARCHES.entries()) {
      const entry = parsed.manifests[i];
      expect(entry?.mediaType).toBe(V2S2);
      expect(entry?.annotations).toBeUndefined();
      const image = JSON.parse((await manifest(entry?.digest ?? "", V2S2)).body.toString()) as { mediaType: string; config: { mediaType: string; digest: string }; layers: Array<{ mediaType: string; digest: string }> };
      expect(image.mediaType).toBe(V2S2);
      const expected = archiveParts(variant, arch);
      expect(image.config).toMatchObject({ mediaType: "application/vnd.docker.container.image.v1+json", digest: expected.configDigest });
      expect(image.layers).toHaveLength(1);
      expect(image.layers[0]?.mediaType).toBe("application/vnd.docker.image.rootfs.diff.tar.gzip");
      const blob = await registryGet(registry, repository, `blobs/${image.layers[0]?.digest}`);
      expect(blob.status).toBe(200);
      expect(blob.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      // Byte for byte the layer of the RouterOS archive, once decompressed.
      expect(sha256(gunzipSync(blob.body))).toBe(sha256(expected.layer));
    }
    // skopeo, an independent reader, sees the same list.
    const raw = await execa("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${registry.host}/${repository}:${variant}`]);
    expect(sha256(Buffer.from(raw.stdout))).toBe(list.headers.get("docker-content-digest"));
  }, 120_000);

  it("a client asking only for the v2s2 manifest type (as older clients do) gets a usable one: linux/amd64's, its config and layer served", async () => {
    const list = JSON.parse((await manifest("standard", LIST)).body.toString()) as { manifests: Array<{ digest: string }> };
    const only = await manifest("standard", V2S2);
    expect(only.status).toBe(200);
    expect(only.headers.get("content-type")).toBe(V2S2);
    expect(only.headers.get("docker-content-digest")).toBe(list.manifests[0]?.digest);
    const image = JSON.parse(only.body.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
    const expected = archiveParts("standard", "amd64");
    const config = await registryGet(registry, repository, `blobs/${image.config.digest}`);
    expect(sha256(config.body)).toBe(expected.configDigest);
    expect(JSON.parse(config.body.toString())).toMatchObject({ architecture: "amd64", os: "linux" });
    const layer = await registryGet(registry, repository, `blobs/${image.layers[0]?.digest}`);
    expect(sha256(gunzipSync(layer.body))).toBe(sha256(expected.layer));
  });
});

describe("podman pulls each platform (--platform; arm under qemu-user) and runs it", () => {
  const pulled: string[] = [];
  beforeAll(async () => {
    await execa("bash", [BINFMT, "acquire", binfmtUser], { env: { QEMU_BINFMT_PID: String(process.pid) } });
  }, 120_000);
  afterAll(async () => {
    // Only the names this test gave or pulled: an image id may also be another test's (the same
    // config as its archive), so nothing is removed by id.
    for (const name of [...pulled, ...VARIANTS.map((variant) => `${registry.host}/${repository}:${variant}`)]) await podman(["rmi", name]);
    await execa("bash", [BINFMT, "release", binfmtUser], { reject: false });
  }, 120_000);

  const CASES = VARIANTS.flatMap((variant) => ARCHES.map((arch) => ({ variant, arch })));
  it.each(CASES)("$variant $arch: the image of the archive's config; config and version run; the same files as the RouterOS archive", async ({ variant, arch }) => {
    const reference = `${registry.host}/${repository}:${variant}`;
    const pull = await podman(["pull", "-q", "--tls-verify=false", "--platform", PLATFORM[arch], reference], { timeoutMs: 300_000 });
    expect(pull.exitCode, pull.stderr).toBe(0);
    const id = pull.stdout.trim().split("\n").at(-1) ?? "";
    // Keep it under a name of this run's own: the next pull moves the tag to another platform's image.
    const name = `localhost/ts-registry-${process.pid}:${variant}-${arch}`;
    expect((await podman(["tag", id, name])).exitCode).toBe(0);
    pulled.push(name);
    const expected = archiveParts(variant, arch);
    expect(`sha256:${id}`).toBe(expected.configDigest);

    const config = await runOnce({ image: name, arch, args: ["config"] }, 180_000);
    expect(config.exitCode, config.stderr).toBe(0);
    expect(config.stdout).toContain("TS_STATE_DIR");
    const version = await runOnce({ image: name, arch, args: ["version"] }, 180_000);
    expect(version.exitCode, version.stderr).toBe(0);
    expect(version.stdout.split("\n")[0]).toBe(TAILSCALE);

    // What podman unpacked, file by file, against the archive's layer unpacked by GNU tar.
    const mounted = await podman(["image", "mount", name]);
    expect(mounted.exitCode, mounted.stderr).toBe(0);
    const unpacked = mkdtempSync(join(tmpdir(), "ts-archive-layer-"));
    try {
      await execa("tar", ["-x", "-p", "--numeric-owner", "-C", unpacked], { input: expected.layer });
      const [fromRegistry, fromArchive] = [listTree(mounted.stdout.trim()), listTree(unpacked)];
      expect(fromRegistry.size).toBeGreaterThan(50);
      expect([...fromRegistry.entries()].sort()).toEqual([...fromArchive.entries()].sort());
    } finally {
      await podman(["image", "unmount", name]);
      rmSync(unpacked, { recursive: true, force: true });
    }
  }, 600_000);
});
