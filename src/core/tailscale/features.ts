// Which Tailscale features the tailscaled that would run has: the file its build wrote beside it
// (docker/build-tailscaled.sh: `tailscaled.features`, one feature per line).
import type { FilesPort } from "../host.ts";
import { lookUpOnPath } from "../system/path-lookup.ts";

/** The features of the tailscaled on PATH; unknown when it has no features file (not this image's build). */
export type FeatureSet = { readonly kind: "known"; readonly binary: string; readonly features: ReadonlySet<string> } | { readonly kind: "unknown" };

/** The file is a few hundred bytes; a larger one is not a features file. */
const MAX_FEATURES_FILE_BYTES = 64 * 1024;

/**
 * Reads `<tailscaled>.features` of the tailscaled PATH finds, the one the supervisor will run: so the
 * file always describes the binary that runs (another tailscaled first on PATH, without such a file,
 * gets no feature checks rather than wrong ones).
 */
export function readFeatureSet(files: FilesPort, pathVariable: string | undefined): FeatureSet {
  const found = lookUpOnPath(files, pathVariable, "tailscaled");
  if (found.kind !== "found") return { kind: "unknown" };
  const read = files.readTextBounded(`${found.path}.features`, MAX_FEATURES_FILE_BYTES);
  if (!read.ok || !read.value.complete) return { kind: "unknown" };
  const features = new Set<string>();
  for (const line of read.value.text.split("\n")) {
    const name = line.trim();
    if (name !== "" && !name.startsWith("#")) features.add(name);
  }
  return { kind: "known", binary: found.path, features };
}
