// Creating a missing state dir.
import type { FilesPort } from "../host.ts";
import { makeDirectories } from "../system/path-lookup.ts";
import type { FixOutcome } from "./preflight-check.ts";

/** Creates the state dir (mode 700, parents as needed). */
export function createStateDir(files: FilesPort, path: string): FixOutcome {
  const made = makeDirectories(files, path, 0o700);
  return made.ok ? { ok: true, change: `created ${path}` } : { ok: false, error: `mkdir ${path}: ${made.error.message}` };
}
