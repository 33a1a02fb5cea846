// The files part of the Host port on QuickJS's `os` and `std`.
import * as os from "os";
import * as std from "std";
import type { FileInfo, FilesPort, HostResult } from "../../core/host.ts";
import { fail, ok } from "../../core/host.ts";
import { ERRNO, errnoName } from "./quickjs-errors.ts";
import { createUtf8Decoder } from "../../core/text/utf8.ts";

const DEFAULT_FILE_MODE = 0o644;
// qjs exports no O_NONBLOCK; this is its value on Linux for x86, arm and arm64 (asm-generic/fcntl.h).
const O_NONBLOCK = 0o4000;

/** Files on the real filesystem. */
export function createQuickJsFiles(): FilesPort {
  return {
    readText(path) {
      const error = { errno: 0 };
      const file = std.open(path, "r", error);
      if (file === null) return failErrno(error.errno);
      const text = file.readAsString();
      file.close();
      return ok(text);
    },
    readTextBounded(path, maxBytes) {
      // Non-blocking: opening a FIFO without a writer returns at once, reading it gives EOF or EAGAIN.
      const fd = os.open(path, os.O_RDONLY | O_NONBLOCK);
      if (fd < 0) return failErrno(-fd);
      const buffer = new ArrayBuffer(maxBytes + 1);
      let length = 0;
      let errno = 0;
      while (length < buffer.byteLength) {
        const count = os.read(fd, buffer, length, buffer.byteLength - length);
        if (count === -ERRNO.EINTR) continue;
        if (count < 0) errno = -count;
        if (count <= 0) break;
        length += count;
      }
      os.close(fd);
      if (errno !== 0) return failErrno(errno);
      const decoder = createUtf8Decoder();
      const text = decoder.decode(new Uint8Array(buffer, 0, Math.min(length, maxBytes))) + decoder.end();
      return ok({ text, complete: length <= maxBytes });
    },
    writeText: (path, text, options) => writeAll(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, text, options?.mode),
    appendText: (path, text, options) => writeAll(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, text, options?.mode),
    stat(path) {
      const [info, errno] = os.stat(path);
      if (errno !== 0) return failErrno(errno);
      return ok({ kind: fileKind(info.mode), mode: info.mode & 0o7777, rdev: info.rdev, size: info.size });
    },
    mkdir: (path, mode) => fromStatus(os.mkdir(path, mode)),
    readDir(path) {
      const [names, errno] = os.readdir(path);
      return errno !== 0 ? failErrno(errno) : ok(names.filter((name) => name !== "." && name !== ".."));
    },
    remove: (path) => fromStatus(os.remove(path)),
    rename: (from, to) => fromStatus(os.rename(from, to)),
    readLink(path) {
      const [target, errno] = os.readlink(path);
      return errno !== 0 ? failErrno(errno) : ok(target);
    },
    symlink: (target, path) => fromStatus(os.symlink(target, path)),
    tryOpenReadWrite(path) {
      const fd = os.open(path, os.O_RDWR);
      if (fd < 0) return failErrno(-fd);
      os.close(fd);
      return ok(undefined);
    },
  };
}

/** Opens with `flags` and writes all of `text`. os.open rather than std.open: only it sets the mode of a new file (secrets are 0600). */
function writeAll(path: string, flags: number, text: string, mode: number | undefined): HostResult<void> {
  const fd = os.open(path, flags, mode ?? DEFAULT_FILE_MODE);
  if (fd < 0) return failErrno(-fd);
  const bytes = encodeUtf8(text);
  let offset = 0;
  while (offset < bytes.byteLength) {
    const written = os.write(fd, bytes.buffer as ArrayBuffer, offset, bytes.byteLength - offset);
    if (written <= 0) {
      os.close(fd);
      return failErrno(written < 0 ? -written : 5);
    }
    offset += written;
  }
  return os.close(fd) === 0 ? ok(undefined) : failErrno(5);
}

function fromStatus(status: number): HostResult<void> {
  return status < 0 ? failErrno(-status) : ok(undefined);
}

function failErrno<T>(errno: number): HostResult<T> {
  return fail(errnoName(errno), std.strerror(errno));
}

function fileKind(mode: number): FileInfo["kind"] {
  const type = mode & os.S_IFMT;
  if (type === os.S_IFREG) return "file";
  if (type === os.S_IFDIR) return "directory";
  if (type === os.S_IFCHR) return "char-device";
  if (type === os.S_IFBLK) return "block-device";
  if (type === os.S_IFIFO) return "fifo";
  if (type === os.S_IFSOCK) return "socket";
  return "other";
}

/** UTF-8 bytes of a string (qjs has no TextEncoder). */
function encodeUtf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return new Uint8Array(bytes);
}
