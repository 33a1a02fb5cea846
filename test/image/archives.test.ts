// What docker/build.sh wrote, read by independent readers (skopeo, GNU tar) and checked against what
// RouterOS and the issue need: one uncompressed layer, manifest.json as `docker save` writes it, the
// OCI index with three platforms (arm variant v7), the image config, the size goals, one file list
// for both variants, and reproducible digests.
import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { archivePath, DIST, IMAGE_TAILSCALE_VERSION, readTarEntry, type Arch, type Variant } from "../lab/podman.ts";
import { ROOT } from "../support/qjs.ts";

const ARCHES: readonly Arch[] = ["amd64", "arm64", "armv7"];
const VARIANTS: readonly Variant[] = ["tiny", "standard"];
const PLATFORM: Record<Arch, { architecture: string; variant?: string }> = { amd64: { architecture: "amd64" }, arm64: { architecture: "arm64" }, armv7: { architecture: "arm", variant: "v7" } };
const CASES = VARIANTS.flatMap((variant) => ARCHES.map((arch) => ({ variant, arch })));

async function skopeo(args: readonly string[]): Promise<unknown> {
  const result = await execa("skopeo", args, { reject: false });
  if (result.exitCode !== 0) throw new Error(`skopeo ${args.join(" ")}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Entries of a tar as GNU tar lists them: type, mode, size, name (and link target). */
async function listTar(tar: Buffer): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "ts-layer-"));
  try {
    const path = join(dir, "layer.tar");
    await import("node:fs").then((fs) => fs.writeFileSync(path, tar));
    const { stdout } = await execa("tar", ["-tvf", path, "--numeric-owner", "--full-time"]);
    return stdout.split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function layerOf(variant: Variant, arch: Arch): Buffer {
  const archive = readFileSync(archivePath(variant, arch));
  const manifest = JSON.parse(readTarEntry(archive, "manifest.json").toString()) as Array<{ Layers: string[] }>;
  return readTarEntry(archive, manifest[0]?.Layers[0] ?? "");
}

describe("RouterOS archives (docker-archive)", () => {
  it.each(CASES)("$variant $arch: skopeo reads it; one uncompressed layer; manifest.json as docker save writes it; the image config", async ({ variant, arch }) => {
    const archive = readFileSync(archivePath(variant, arch));
    const manifest = JSON.parse(readTarEntry(archive, "manifest.json").toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(manifest).toHaveLength(1);
    expect(manifest[0]).toEqual({ Config: expect.stringMatching(/^[0-9a-f]{64}\.json$/), RepoTags: [`routeros-tailscale-supervisor:${variant}-${arch}`], Layers: [expect.stringMatching(/^[0-9a-f]{64}\/layer\.tar$/)] });
    // Uncompressed: the layer is a tar itself (ustar magic), not gzip.
    const layer = layerOf(variant, arch);
    expect(layer.subarray(257, 262).toString()).toBe("ustar");

    const inspect = (await skopeo(["inspect", `docker-archive:${archivePath(variant, arch)}`])) as { Architecture: string; Os: string; Layers: string[]; Labels: Record<string, string> };
    expect(inspect.Os).toBe("linux");
    expect(inspect.Architecture).toBe(PLATFORM[arch].architecture);
    expect(inspect.Layers).toHaveLength(1);
    expect(inspect.Labels).toMatchObject({ "org.opencontainers.image.version": expect.stringContaining(`tailscale${IMAGE_TAILSCALE_VERSION}`), "org.opencontainers.image.revision": expect.stringMatching(/^[0-9a-f]{40}/), "org.opencontainers.image.source": expect.any(String), "org.opencontainers.image.licenses": expect.stringContaining("BSD-3-Clause") });

    // The config blob as stored (skopeo's converted view drops Docker's Healthcheck).
    const config = (await skopeo(["inspect", "--config", "--raw", `docker-archive:${archivePath(variant, arch)}`])) as { architecture: string; variant?: string; config: Record<string, unknown> };
    expect({ architecture: config.architecture, variant: config.variant }).toEqual({ architecture: PLATFORM[arch].architecture, variant: PLATFORM[arch].variant });
    expect(config.config).toMatchObject({
      Entrypoint: ["/usr/local/bin/supervisor"],
      Cmd: ["supervise"],
      StopSignal: "SIGTERM",
      Volumes: { "/var/lib/tailscale": {} },
      Env: [expect.stringMatching(/^PATH=.*\/usr\/local\/bin/)],
      Healthcheck: { Test: ["CMD", "/usr/local/bin/supervisor", "health"] },
    });
  }, 60_000);

  it("every layer entry is owned by root with no names, dated SOURCE_DATE_EPOCH, no PAX records", async () => {
    for (const { variant, arch } of CASES) {
      const lines = await listTar(layerOf(variant, arch));
      for (const line of lines) expect(line).toMatch(/^[-dl][rwxst-]{9} 0\/0 +\d+ 2025-04-26 00:00:00 /);
      expect(lines.join("\n")).not.toContain("PaxHeaders");
    }
  }, 60_000);
});

describe("OCI layout", () => {
  it.each(VARIANTS)("%s: a multi-platform index with amd64, arm64 and arm/v7", async (variant) => {
    const index = (await skopeo(["inspect", "--raw", `oci:${DIST}/oci:${variant}`])) as { manifests: Array<{ platform: { architecture: string; os: string; variant?: string } }> };
    expect(index.manifests.map((entry) => entry.platform)).toEqual([
      { architecture: "amd64", os: "linux" },
      { architecture: "arm64", os: "linux" },
      { architecture: "arm", os: "linux", variant: "v7" },
    ]);
    // skopeo picks the arm/v7 image out of the index, as a router pulling by platform would.
    const arm = (await skopeo(["--override-arch", "arm", "--override-variant", "v7", "inspect", `oci:${DIST}/oci:${variant}`])) as { Architecture: string; Layers: string[] };
    expect(arm.Architecture).toBe("arm");
    expect(arm.Layers).toHaveLength(1);
    const armConfig = (await skopeo(["--override-arch", "arm", "--override-variant", "v7", "inspect", "--config", "--raw", `oci:${DIST}/oci:${variant}`])) as { architecture: string; variant: string };
    expect(armConfig).toMatchObject({ architecture: "arm", variant: "v7" });
  }, 60_000);
});

describe("one file list, two variants", () => {
  const NFT = /usr\/sbin\/(xtables-nft-multi|ip6?tables-nft(-save|-restore)?)( |$)/;
  it.each(ARCHES)("%s: tiny holds standard's paths, types and modes but the nft backend; tailscale is a link named exactly `tailscale`, qjs a link to the supervisor", async (arch) => {
    const shape = async (variant: Variant) => (await listTar(layerOf(variant, arch))).map((line) => line.replace(/^(\S+) 0\/0 +\d+ /, "$1 "));
    const tiny = await shape("tiny");
    const standard = await shape("standard");
    expect(tiny).toEqual(standard.filter((line) => !NFT.test(line)));
    expect(standard.filter((line) => NFT.test(line))).toHaveLength(7);
    expect(tiny.join("\n")).toMatch(/^lrwxrwxrwx 2025-04-26 00:00:00 usr\/local\/bin\/tailscale -> tailscaled$/m);
    expect(tiny.join("\n")).toMatch(/^lrwxrwxrwx 2025-04-26 00:00:00 usr\/local\/bin\/qjs -> supervisor$/m);
    for (const path of ["usr/local/bin/supervisor", "usr/local/bin/tailscaled", "bin/busybox", "bin/sh", "sbin/ip", "bin/mknod", "usr/bin/setsid", "usr/sbin/iptables-legacy", "usr/sbin/ip6tables-legacy", "etc/ssl/certs/ca-certificates.crt", "etc/passwd", "var/lib/tailscale/"]) {
      expect(tiny.some((line) => line.endsWith(` ${path}`) || line.includes(` ${path} -> `))).toBe(true);
    }
    expect(standard.some((line) => line.includes(" usr/sbin/ip6tables-nft -> "))).toBe(true);
    // The bundle ships as bytecode inside the supervisor, not as a file.
    expect(standard.some((line) => line.endsWith(" supervisor.mjs"))).toBe(false);
  }, 60_000);
});

describe("links", () => {
  it.each(CASES)("$variant $arch: every symbolic link in the layer points at something in the layer (busybox's applets in /usr/bin too)", async ({ variant, arch }) => {
    const lines = await listTar(layerOf(variant, arch));
    const entries = new Map<string, string | undefined>();
    for (const line of lines) {
      const match = /^(\S)\S* \S+ +\d+ \S+ \S+ (.+?)(?: -> (.+))?$/.exec(line);
      if (match !== null) entries.set((match[2] ?? "").replace(/\/$/, ""), match[1] === "l" ? match[3] : undefined);
    }
    const resolve = (path: string, depth = 0): boolean => {
      if (!entries.has(path) || depth > 8) return false;
      const target = entries.get(path);
      if (target === undefined) return true;
      return resolve(posix.normalize(target.startsWith("/") ? target.slice(1) : posix.join(posix.dirname(path), target)), depth + 1);
    };
    const links = [...entries].filter(([, target]) => target !== undefined).map(([path]) => path);
    expect(links.length).toBeGreaterThan(50);
    expect(links.filter((path) => !resolve(path))).toEqual([]);
  }, 60_000);
});

describe("size goals (arm64, extracted = the sum of the files' bytes)", () => {
  it("tiny <= 5,000,000 and standard <= 20,000,000, as the size command prints them", async () => {
    const { stdout } = await execa("node", [join(ROOT, "test/lab/image-size.mjs"), "--static", "--json", DIST]);
    const rows = (JSON.parse(stdout) as { rows: Array<{ arch: string; variant: string; extractedBytes: number; archiveBytes: number }> }).rows;
    const arm64 = (variant: string) => rows.find((row) => row.arch === "arm64" && row.variant === variant)?.extractedBytes ?? Number.POSITIVE_INFINITY;
    expect(arm64("tiny")).toBeLessThanOrEqual(5_000_000);
    expect(arm64("standard")).toBeLessThanOrEqual(20_000_000);
    expect(rows).toHaveLength(6);
  }, 60_000);
});

describe("the supply chain (issue 18 item 7) and the feature set (item 1)", () => {
  it("digests.json records the toolchains that built the image: the pinned Go, the C compilers and binutils of each arch, musl, UPX", () => {
    const digests = JSON.parse(readFileSync(join(DIST, "digests.json"), "utf8")) as Array<Record<string, unknown>>;
    const toolchain = digests.find((entry) => "toolchain" in entry)?.["toolchain"] as Record<string, string> | undefined;
    const pins = readFileSync(join(ROOT, "docker/pins.env"), "utf8");
    expect(toolchain?.["go"]).toBe(`go${/^GO_VERSION=(\S+)$/m.exec(pins)?.[1]}`);
    for (const tool of ["gcc", "binutils", "gcc-arm64", "binutils-arm64", "gcc-armhf", "binutils-armhf", "musl-dev", "upx"]) expect(toolchain?.[tool], tool).toMatch(/\S/);
  });

  it("docker/Dockerfile builds on a base pinned by digest, with the pinned Go", () => {
    const dockerfile = readFileSync(join(ROOT, "docker/Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^FROM --platform=linux\/amd64 debian:trixie@sha256:[0-9a-f]{64} AS build$/m);
    expect(dockerfile).not.toMatch(/^ENV .*GOTOOLCHAIN=/m);
    expect(dockerfile).toContain('GOTOOLCHAIN="go$GO_VERSION"');
  });

  it.each(CASES)("$variant $arch: the layer holds tailscaled's feature set beside it, without ssh or serve", async ({ variant, arch }) => {
    const features = readTarEntry(layerOf(variant, arch), "usr/local/bin/tailscaled.features").toString().split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(features).toEqual(expect.arrayContaining(["advertiseroutes", "iptables", "netstack", "unixsocketidentity", "cli"]));
    for (const missing of ["ssh", "serve", "outboundproxy", "appconnectors", "identityfederation", "webclient", "posture"]) expect(features).not.toContain(missing);
  });
});

describe("reproducible", () => {
  it("building again (from the cached components) gives the same digests, byte for byte", async () => {
    const out = mkdtempSync(join(tmpdir(), "ts-image-again-"));
    try {
      await execa("bash", [join(ROOT, "docker/build.sh"), "--out", out], { timeout: 1_200_000 });
      expect(readFileSync(join(out, "digests.json"), "utf8").replaceAll(out, DIST)).toBe(readFileSync(join(DIST, "digests.json"), "utf8"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 1_300_000);
});

describe("docker/Dockerfile", () => {
  it("states the runtime configuration of the recipe's images, with the rootfs as one COPY onto scratch", async () => {
    const dockerfile = readFileSync(join(ROOT, "docker/Dockerfile"), "utf8");
    const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(final).toMatch(/^\nFROM scratch\n/);
    expect(final.match(/^(COPY|ADD|RUN) /gm)).toEqual(["COPY "]);
    const { config } = (await skopeo(["inspect", "--config", "--raw", `docker-archive:${archivePath("tiny", "amd64")}`])) as { config: { Entrypoint: string[]; Cmd: string[]; Env: string[]; StopSignal: string; Volumes: Record<string, unknown>; Healthcheck: { Test: string[]; Interval: number; Timeout: number; StartPeriod: number; Retries: number } } };
    const line = (instruction: string) => new RegExp(`^${instruction} (.*)$`, "m").exec(final)?.[1] ?? "";
    expect(JSON.parse(line("ENTRYPOINT"))).toEqual(config.Entrypoint);
    expect(JSON.parse(line("CMD"))).toEqual(config.Cmd);
    expect([line("ENV")]).toEqual(config.Env);
    expect(line("STOPSIGNAL")).toBe(config.StopSignal);
    expect(Object.keys(config.Volumes)).toEqual(JSON.parse(line("VOLUME")));
    const health = /^HEALTHCHECK --interval=(\d+)s --timeout=(\d+)s --start-period=(\d+)s --retries=(\d+) CMD (.*)$/m.exec(final);
    const seconds = (text: string | undefined) => Number(text) * 1e9;
    expect({ Test: ["CMD", ...(JSON.parse(health?.[5] ?? "[]") as string[])], Interval: seconds(health?.[1]), Timeout: seconds(health?.[2]), StartPeriod: seconds(health?.[3]), Retries: Number(health?.[4]) }).toEqual(config.Healthcheck);
  }, 60_000);
});
