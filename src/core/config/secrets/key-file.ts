// Reading a `file:` auth key: a small regular file holding one line, read without ever blocking.
import type { FilesPort, FileInfo } from "../../host.ts";
import { checkKeyText } from "./auth-key.ts";

/** An auth key is under 100 characters; a key file larger than this is not one. */
export const MAX_KEY_FILE_BYTES = 4096;

/** The key, or what is wrong with the file (naming the file, never quoting its content). */
export type KeyFileRead = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly problem: string; readonly fix: string };

const MOUNT_FIX = "mount the key file into the container (a regular file holding the key on one line) or fix the path";

/** Reads the key from `path`: refuses anything but a regular file of at most MAX_KEY_FILE_BYTES with one line. */
export function readKeyFile(files: FilesPort, path: string): KeyFileRead {
  const info = files.stat(path);
  if (!info.ok) return { ok: false, problem: `cannot read the key file ${path}: ${info.error.message}`, fix: MOUNT_FIX };
  if (info.value.kind !== "file") return { ok: false, problem: `the key file ${path} ${describeKind(info.value.kind)}, not a regular file`, fix: MOUNT_FIX };
  const read = files.readTextBounded(path, MAX_KEY_FILE_BYTES);
  if (!read.ok) return { ok: false, problem: `cannot read the key file ${path}: ${read.error.message}`, fix: MOUNT_FIX };
  if (!read.value.complete) {
    return { ok: false, problem: `the key file ${path} is larger than ${MAX_KEY_FILE_BYTES / 1024} KiB, so it holds no key`, fix: "point TS_AUTHKEY=file: at the file holding only the key" };
  }
  const key = read.value.text.trim();
  const problem = checkKeyText(key, path);
  if (problem !== undefined) return { ok: false, problem, fix: "write the auth key, and nothing else, into the file" };
  return { ok: true, key };
}

function describeKind(kind: FileInfo["kind"]): string {
  switch (kind) {
    case "directory":
      return "is a directory";
    case "char-device":
    case "block-device":
      return "is a device";
    case "fifo":
      return "is a FIFO (named pipe)";
    case "socket":
      return "is a socket";
    default:
      return "is a special file";
  }
}
