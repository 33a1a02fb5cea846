// Packs the layer tars docker/build.sh wrote into the image formats, without a daemon:
//   OUT/oci/                                  an OCI layout; per variant (ref name) a multi-platform index
//   OUT/routeros/tailscale-<variant>-<arch>.tar  a docker-archive as `docker save` writes it, with the
//                                             layer UNCOMPRESSED (what RouterOS `/container/add file=` imports)
// Usage: node pack-image.mjs OUT CONFIG.json   (CONFIG: {images: [{variant, arch, layer, os, architecture,
// variant?}], config: {...image config...}, created, labels, repository, toolchain}). Everything is derived
// from the inputs (no clock, no randomness): the same layers give the same digests.
import { createHash } from "node:crypto";
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

const [out, configPath] = process.argv.slice(2);
if (out === undefined || configPath === undefined) throw new Error("usage: pack-image.mjs OUT CONFIG.json");
const input = JSON.parse(readFileSync(configPath, "utf8"));

const sha256File = (path) => {
  const hash = createHash("sha256");
  hash.update(readFileSync(path));
  return hash.digest("hex");
};
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
/** Canonical JSON bytes (keys in insertion order, no spaces): the digest of a blob is of these bytes. */
const jsonBytes = (value) => Buffer.from(JSON.stringify(value));

const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar",
};

/** The image config (Docker's format, which the OCI one extends: Healthcheck is Docker's field). */
function imageConfig(image, layerDigest) {
  return {
    architecture: image.architecture,
    ...(image.platformVariant ? { variant: image.platformVariant } : {}),
    os: "linux",
    created: input.created,
    author: input.author,
    config: { ...input.config, Labels: { ...input.labels, "org.opencontainers.image.title": `tailscale-${image.variant}` } },
    rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created: input.created, created_by: `docker/build.sh ${image.variant} ${image.arch} (one layer: docker/rootfs.list)` }],
  };
}

const ociDir = join(out, "oci");
const routerosDir = join(out, "routeros");
rmSync(ociDir, { recursive: true, force: true });
mkdirSync(join(ociDir, "blobs", "sha256"), { recursive: true });
mkdirSync(routerosDir, { recursive: true });

const putBlob = (bytes) => {
  const digest = sha256(bytes);
  writeFileSync(join(ociDir, "blobs", "sha256", digest), bytes);
  return { digest: `sha256:${digest}`, size: bytes.length };
};
const putFileBlob = (path) => {
  const digest = sha256File(path);
  copyFileSync(path, join(ociDir, "blobs", "sha256", digest));
  return { digest: `sha256:${digest}`, size: statSync(path).size };
};

const summary = [];
const variants = [...new Set(input.images.map((image) => image.variant))];
const indexEntries = [];
for (const variant of variants) {
  const manifests = [];
  for (const image of input.images.filter((candidate) => candidate.variant === variant)) {
    const layer = putFileBlob(image.layer);
    const layerHex = layer.digest.slice("sha256:".length);
    const configBytes = jsonBytes(imageConfig(image, layerHex));
    const config = putBlob(configBytes);
    const manifest = putBlob(jsonBytes({ schemaVersion: 2, mediaType: MEDIA.manifest, config: { mediaType: MEDIA.config, ...config }, layers: [{ mediaType: MEDIA.layer, ...layer }] }));
    manifests.push({ mediaType: MEDIA.manifest, ...manifest, platform: { architecture: image.architecture, os: "linux", ...(image.platformVariant ? { variant: image.platformVariant } : {}) } });
    const archive = join(routerosDir, `tailscale-${variant}-${image.arch}.tar`);
    writeDockerArchive(archive, { configBytes, configHex: config.digest.slice(7), layerPath: image.layer, layerHex, tag: `${input.repository}:${variant}-${image.arch}`, created: input.created });
    summary.push({ variant, arch: image.arch, archive, archiveBytes: statSync(archive).size, manifest: manifest.digest, config: config.digest, layer: layer.digest });
  }
  const index = putBlob(jsonBytes({ schemaVersion: 2, mediaType: MEDIA.index, manifests }));
  indexEntries.push({ mediaType: MEDIA.index, ...index, annotations: { "org.opencontainers.image.ref.name": variant } });
  summary.push({ variant, index: index.digest });
}
writeFileSync(join(ociDir, "oci-layout"), `${JSON.stringify({ imageLayoutVersion: "1.0.0" })}\n`);
writeFileSync(join(ociDir, "index.json"), `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: indexEntries })}\n`);
// What built the inputs (Go, the C compilers and binutils, musl, UPX, Node): the digests are
// reproducible with these (docker/check-reproducible.sh).
if (input.toolchain !== undefined) summary.push({ toolchain: input.toolchain });
writeFileSync(join(out, "digests.json"), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);

/**
 * A docker-archive as `docker save` (before Docker 25) writes it: <layer-id>/{VERSION,json,layer.tar},
 * <config-hex>.json, manifest.json, repositories. Written as an uncompressed ustar stream with fixed
 * metadata, so the same inputs give the same bytes.
 */
function writeDockerArchive(path, { configBytes, configHex, layerPath, layerHex, tag, created }) {
  // The v1 layer id docker save uses for a single-layer image: sha256 of the chain (here the diff id).
  const layerId = sha256(Buffer.from(`sha256:${layerHex}`));
  const [repository, tagName] = [tag.slice(0, tag.lastIndexOf(":")), tag.slice(tag.lastIndexOf(":") + 1)];
  const v1Json = jsonBytes({ id: layerId, created, container_config: { Cmd: null }, os: "linux" });
  const manifest = jsonBytes([{ Config: `${configHex}.json`, RepoTags: [tag], Layers: [`${layerId}/layer.tar`] }]);
  const repositories = jsonBytes({ [repository]: { [tagName]: layerId } });
  const tmp = `${path}.tmp`;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(tmp, "w");
  try {
    const mtime = Math.floor(Date.parse(created) / 1000);
    writeEntry(fd, `${layerId}/`, null, mtime);
    writeEntry(fd, `${layerId}/VERSION`, Buffer.from("1.0"), mtime);
    writeEntry(fd, `${layerId}/json`, v1Json, mtime);
    writeEntry(fd, `${layerId}/layer.tar`, readFileSync(layerPath), mtime);
    writeEntry(fd, `${configHex}.json`, configBytes, mtime);
    writeEntry(fd, "manifest.json", manifest, mtime);
    writeEntry(fd, "repositories", repositories, mtime);
    writeSync(fd, Buffer.alloc(1024)); // two zero blocks end the archive
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** One ustar entry: a directory when `data` is null, else a regular file. */
function writeEntry(fd, name, data, mtime) {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
  const header = Buffer.alloc(512);
  const field = (offset, length, value) => header.write(value, offset, length, "ascii");
  const octal = (offset, length, value) => field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  field(0, 100, name);
  octal(100, 8, data === null ? 0o755 : 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data === null ? 0 : data.length);
  octal(136, 12, mtime);
  field(148, 8, "        ");
  field(156, 1, data === null ? "5" : "0");
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  let checksum = 0;
  for (const byte of header) checksum += byte;
  field(148, 8, `${checksum.toString(8).padStart(6, "0")}\0 `);
  writeSync(fd, header);
  if (data !== null && data.length > 0) {
    writeSync(fd, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) writeSync(fd, Buffer.alloc(pad));
  }
}
