// The size of each RouterOS archive the build wrote: its bytes, and the extracted bytes (the sum of
// the regular files' sizes in its layer: what the rootfs holds on the router's flash).
// Usage: node docker/lib/archive-sizes.mjs DIST   (prints one line per archive; build.sh ends with it)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTarEntries, readTarEntry } from "./tar.mjs";

export const ARCHES = ["amd64", "arm64", "armv7"];
export const VARIANTS = ["tiny", "standard"];

/** Sum of the sizes of the regular files in a tar. */
function extractedBytes(tar) {
  return readTarEntries(tar).filter((entry) => entry.type === "0").reduce((total, entry) => total + entry.size, 0);
}

/** The layer inside a docker-archive (manifest.json names it). */
function layerOfArchive(archive) {
  const manifest = JSON.parse(readTarEntry(archive, "manifest.json").toString());
  return readTarEntry(archive, manifest[0]?.Layers?.[0] ?? "");
}

/** One row per archive present in DIST/routeros: arch, variant, archiveBytes, extractedBytes. */
export function readArchiveSizes(dist) {
  const rows = [];
  for (const arch of ARCHES) {
    for (const variant of VARIANTS) {
      const path = join(dist, "routeros", `tailscale-${variant}-${arch}.tar`);
      if (!existsSync(path)) continue;
      const archive = readFileSync(path);
      rows.push({ arch, variant, archiveBytes: archive.length, extractedBytes: extractedBytes(layerOfArchive(archive)) });
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? "dist";
  for (const row of readArchiveSizes(dist)) {
    console.log(`${row.arch} ${row.variant}: archive ${row.archiveBytes.toLocaleString("en-US")} bytes, extracted ${row.extractedBytes.toLocaleString("en-US")} bytes`);
  }
}
