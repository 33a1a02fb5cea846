// Finding a program on PATH without running it.
import type { Host } from "../host.ts";

/** True when `name` is an executable file in one of PATH's directories. */
export function isOnPath(host: Pick<Host, "env" | "files">, name: string): boolean {
  const path = host.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  return path.split(":").some((dir) => {
    const info = host.files.stat(`${dir === "" ? "." : dir}/${name}`);
    return info.ok && info.value.kind === "file" && (info.value.mode & 0o111) !== 0;
  });
}
