// Reads what docker/build.sh wrote for the push command: the OCI layout's per-variant index (its
// platforms and each platform's image config digest) and the pins (docker/pins.env).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The platforms every variant's image holds, as `os/architecture[/variant]`. */
export const PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7"];

/** `os/architecture[/variant]` of an OCI/Docker platform object. */
export const platformKey = (platform) => [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const blobPath = (layout, digest) => join(layout, "blobs", ...String(digest).split(":"));

/**
 * The variant's image in the layout: `{ok: true, configs}` (platform -> config digest) when its index
 * lists exactly PLATFORMS and every blob it names is there, else `{ok: false, why}`.
 */
export function readLayoutImage(layout, variant) {
  if (!existsSync(join(layout, "index.json"))) return { ok: false, why: `no ${join(layout, "index.json")}` };
  const entry = readJson(join(layout, "index.json")).manifests?.find((candidate) => candidate.annotations?.["org.opencontainers.image.ref.name"] === variant);
  if (entry === undefined) return { ok: false, why: `no image named ${variant} in ${layout}` };
  if (!existsSync(blobPath(layout, entry.digest))) return { ok: false, why: `the index blob ${entry.digest} is missing` };
  const index = readJson(blobPath(layout, entry.digest));
  const configs = {};
  for (const manifestEntry of index.manifests ?? []) {
    if (!existsSync(blobPath(layout, manifestEntry.digest))) return { ok: false, why: `the manifest blob ${manifestEntry.digest} is missing` };
    const manifest = readJson(blobPath(layout, manifestEntry.digest));
    const blobs = [manifest.config, ...(manifest.layers ?? [])];
    const missing = blobs.find((blob) => !existsSync(blobPath(layout, blob?.digest)));
    if (missing !== undefined) return { ok: false, why: `the blob ${missing?.digest} is missing` };
    configs[platformKey(manifestEntry.platform ?? {})] = manifest.config.digest;
  }
  const platforms = Object.keys(configs).sort();
  if (JSON.stringify(platforms) !== JSON.stringify([...PLATFORMS].sort())) return { ok: false, why: `${variant} holds ${platforms.join(", ") || "no platform"}, not ${PLATFORMS.join(", ")}` };
  return { ok: true, configs };
}

/** Whether two platform -> config digest maps are the same content. */
export function sameConfigs(a, b) {
  const sorted = (map) => JSON.stringify(Object.entries(map ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

/** The `NAME=value` lines of a pins file (comments and blank lines skipped). */
export function readPins(path) {
  const pins = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) pins[match[1]] = match[2];
  }
  return pins;
}
