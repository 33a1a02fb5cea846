// Finding a program on PATH without running it, and creating directory chains.
import type { FilesPort, HostResult } from "../host.ts";
import { ok } from "../host.ts";

/** PATH used when the environment has none (the image's default). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Where a program was found, or why not (the shell's 127/126 distinction). */
export type PathLookup = { readonly kind: "found"; readonly path: string } | { readonly kind: "missing" } | { readonly kind: "not-executable"; readonly path: string };

/** Looks `name` up in the directories of `pathVariable` as execvp would (links followed). */
export function lookUpOnPath(files: FilesPort, pathVariable: string | undefined, name: string): PathLookup {
  let notExecutable: string | undefined;
  for (const dir of (pathVariable ?? DEFAULT_PATH).split(":")) {
    if (dir === "") continue;
    const path = `${dir}/${name}`;
    const info = files.stat(path);
    if (!info.ok || info.value.kind !== "file") continue;
    if ((info.value.mode & 0o111) !== 0) return { kind: "found", path };
    notExecutable ??= path;
  }
  return notExecutable === undefined ? { kind: "missing" } : { kind: "not-executable", path: notExecutable };
}

/** Absolute path of the first executable `name` on `pathVariable`, or undefined. */
export function findOnPath(files: FilesPort, pathVariable: string | undefined, name: string): string | undefined {
  const found = lookUpOnPath(files, pathVariable, name);
  return found.kind === "found" ? found.path : undefined;
}

/** Creates `path` and any missing parents (`mkdir -p`); an existing directory is fine. */
export function makeDirectories(files: FilesPort, path: string, mode: number): HostResult<void> {
  let current = "";
  for (const part of path.split("/").filter((segment) => segment !== "")) {
    current += `/${part}`;
    const info = files.stat(current);
    if (info.ok && info.value.kind === "directory") continue;
    const made = files.mkdir(current, mode);
    if (!made.ok && made.error.code !== "EEXIST") return made;
  }
  return ok(undefined);
}
