// Finding a program on PATH without running it.
import type { Host } from "../host.ts";

/** Where a program was found, or why not (the shell's 127/126 distinction). */
export type PathLookup = { readonly kind: "found"; readonly path: string } | { readonly kind: "missing" } | { readonly kind: "not-executable"; readonly path: string };

const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

/** Looks `name` up in PATH's directories, as execvp would. */
export function findOnPath(host: Pick<Host, "env" | "files">, name: string): PathLookup {
  let notExecutable: string | undefined;
  for (const dir of (host.env["PATH"] ?? DEFAULT_PATH).split(":")) {
    const path = `${dir === "" ? "." : dir}/${name}`;
    const info = host.files.stat(path);
    if (!info.ok || info.value.kind !== "file") continue;
    if ((info.value.mode & 0o111) !== 0) return { kind: "found", path };
    notExecutable ??= path;
  }
  return notExecutable === undefined ? { kind: "missing" } : { kind: "not-executable", path: notExecutable };
}

/** True when `name` is an executable file in one of PATH's directories. */
export function isOnPath(host: Pick<Host, "env" | "files">, name: string): boolean {
  return findOnPath(host, name).kind === "found";
}
