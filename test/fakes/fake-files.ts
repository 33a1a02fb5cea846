// A virtual filesystem for the fake host: files, directories, devices and symlinks in a map.
import type { FileInfo, FilesPort, HostResult } from "../../src/core/host.ts";
import { fail, ok } from "../../src/core/host.ts";

/** One entry: text for files, `target` for symlinks. */
export interface FakeEntry {
  readonly kind: FileInfo["kind"] | "symlink";
  readonly mode: number;
  readonly rdev?: number;
  readonly text?: string;
  readonly target?: string;
  /** errno name `tryOpenReadWrite` fails with (a device the cgroup denies: EPERM). */
  readonly openError?: string;
  /** The owner (default 0). */
  readonly uid?: number;
}

/** The files port plus direct access for assertions. */
export interface FakeFiles extends FilesPort {
  readonly entries: Map<string, FakeEntry>;
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

function infoOf(entry: FakeEntry): FileInfo {
  return { kind: entry.kind, mode: entry.mode, rdev: entry.rdev ?? 0, size: entry.text?.length ?? 0, uid: entry.uid ?? 0 };
}

/** Builds a virtual filesystem; string values are files, objects are entries. Parents are implied. */
export function createFakeFiles(initial: Record<string, string | Partial<FakeEntry>>): FakeFiles {
  const entries = new Map<string, FakeEntry>([["/", { kind: "directory", mode: 0o755 }]]);
  const ensureParents = (path: string): void => {
    for (let parent = parentOf(path); !entries.has(parent); parent = parentOf(parent)) entries.set(parent, { kind: "directory", mode: 0o755 });
  };
  for (const [path, value] of Object.entries(initial)) {
    ensureParents(path);
    entries.set(path, typeof value === "string" ? { kind: "file", mode: 0o644, text: value } : { kind: "file", mode: 0o644, ...value });
  }
  const resolve = (path: string): FakeEntry | undefined => {
    const entry = entries.get(path);
    return entry?.kind === "symlink" && entry.target !== undefined ? entries.get(entry.target) : entry;
  };
  const missing = <T>(): HostResult<T> => fail("ENOENT", "No such file or directory");
  return {
    entries,
    readText(path) {
      const entry = resolve(path);
      if (entry === undefined) return missing();
      if (entry.kind === "directory") return fail("EISDIR", "Is a directory");
      // Non-blocking, as the host's: a FIFO without a writer reads as empty.
      return entry.kind === "fifo" ? ok("") : ok(entry.text ?? "");
    },
    readTextBounded(path, maxBytes) {
      const entry = resolve(path);
      if (entry === undefined) return missing();
      if (entry.kind === "directory") return fail("EISDIR", "Is a directory");
      // A FIFO without a writer: the non-blocking read sees end of file at once.
      if (entry.kind === "fifo") return ok({ text: "", complete: true });
      const bytes = new TextEncoder().encode(entry.text ?? "");
      return ok({ text: new TextDecoder().decode(bytes.slice(0, maxBytes)), complete: bytes.length <= maxBytes });
    },
    createFile(path, text, mode) {
      if (resolve(parentOf(path))?.kind !== "directory") return missing();
      // Whatever is there goes first (a link: itself, never its target; a directory only when empty),
      // then an O_EXCL create, as the host's.
      const existing = entries.get(path);
      if (existing?.kind === "directory" && [...entries.keys()].some((key) => key.startsWith(`${path}/`))) return fail("EEXIST", "File exists");
      entries.set(path, { kind: "file", mode, text });
      return ok(undefined);
    },
    writeExisting(path, text) {
      const existing = resolve(path);
      if (existing === undefined) return missing();
      if (existing.kind === "directory") return fail("EISDIR", "Is a directory");
      const target = entries.get(path)?.kind === "symlink" ? (entries.get(path)?.target ?? path) : path;
      entries.set(target, { ...existing, text });
      return ok(undefined);
    },
    appendExisting(path, text) {
      const existing = resolve(path);
      if (existing === undefined) return missing();
      if (existing.kind === "directory") return fail("EISDIR", "Is a directory");
      const target = entries.get(path)?.kind === "symlink" ? (entries.get(path)?.target ?? path) : path;
      entries.set(target, { ...existing, text: `${existing.text ?? ""}${text}` });
      return ok(undefined);
    },
    stat(path) {
      const entry = resolve(path);
      if (entry === undefined) return missing();
      return ok(infoOf(entry));
    },
    lstat(path) {
      const entry = entries.get(path);
      return entry === undefined ? missing() : ok(infoOf(entry));
    },
    mkdir(path, mode) {
      if (entries.has(path)) return fail("EEXIST", "File exists");
      if (resolve(parentOf(path))?.kind !== "directory") return missing();
      entries.set(path, { kind: "directory", mode });
      return ok(undefined);
    },
    readDir(path) {
      if (resolve(path)?.kind !== "directory") return missing();
      const prefix = path === "/" ? "/" : `${path}/`;
      return ok([...entries.keys()].filter((key) => key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes("/")).map((key) => key.slice(prefix.length)));
    },
    remove(path) {
      if (!entries.has(path)) return missing();
      entries.delete(path);
      return ok(undefined);
    },
    rename(from, to) {
      const entry = entries.get(from);
      if (entry === undefined) return missing();
      entries.delete(from);
      entries.set(to, entry);
      return ok(undefined);
    },
    readLink(path) {
      const entry = entries.get(path);
      return entry?.kind === "symlink" && entry.target !== undefined ? ok(entry.target) : fail("EINVAL", "Invalid argument");
    },
    symlink(target, path) {
      if (entries.has(path)) return fail("EEXIST", "File exists");
      if (resolve(parentOf(path))?.kind !== "directory") return missing();
      entries.set(path, { kind: "symlink", mode: 0o777, target });
      return ok(undefined);
    },
    tryOpenReadWrite(path) {
      const entry = resolve(path);
      if (entry === undefined) return missing();
      return entry.openError === undefined ? ok(undefined) : fail(entry.openError, "Operation not permitted");
    },
  };
}
