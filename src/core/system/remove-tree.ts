// Removing a directory and what it holds, never following a link out of it.
import type { FilesPort, HostResult } from "../host.ts";
import { fail, ok } from "../host.ts";

/** How deep, and how many entries, a removal goes before giving up (a runtime directory holds a handful). */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 10_000;

/** Removes `path` (a file, a link, or a directory with everything in it); links are removed, not followed. */
export function removeTree(files: FilesPort, path: string): HostResult<void> {
  const budget = { entries: MAX_ENTRIES };
  return removeEntry(files, path, 0, budget);
}

function removeEntry(files: FilesPort, path: string, depth: number, budget: { entries: number }): HostResult<void> {
  budget.entries -= 1;
  if (budget.entries < 0 || depth > MAX_DEPTH) return fail("E2BIG", `too much to remove under ${path}`);
  const info = files.lstat(path);
  if (!info.ok) return info.error.code === "ENOENT" ? ok(undefined) : info;
  if (info.value.kind === "directory") {
    const names = files.readDir(path);
    if (!names.ok) return names;
    for (const name of names.value) {
      const removed = removeEntry(files, `${path}/${name}`, depth + 1, budget);
      if (!removed.ok) return removed;
    }
  }
  return files.remove(path);
}
