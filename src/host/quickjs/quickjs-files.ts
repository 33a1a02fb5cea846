// The files part of the Host port on QuickJS's `os` and `std`.
import * as os from "os";
import * as std from "std";
import type { BoundedText, FileInfo, FilesPort, HostResult } from "../../core/host.ts";
import { fail, MAX_READ_BYTES, ok } from "../../core/host.ts";
import { ERRNO, errnoName } from "./quickjs-errors.ts";
import { createUtf8Decoder } from "../../core/text/utf8.ts";

// qjs exports no O_NONBLOCK; this is its value on Linux for x86, arm and arm64 (asm-generic/fcntl.h).
const O_NONBLOCK = 0o4000;
const READ_CHUNK_BYTES = 64 * 1024;
const ERRNO_EIO = 5;
const ERRNO_EFBIG = 27;

/** Files on the real filesystem. */
export function createQuickJsFiles(): FilesPort {
  const readBounded = (path: string, maxBytes: number): HostResult<BoundedText> => {
    // Non-blocking: opening a FIFO without a writer returns at once, reading it gives EOF or EAGAIN.
    const fd = os.open(path, os.O_RDONLY | O_NONBLOCK);
    if (fd < 0) return failErrno(-fd);
    // In chunks: a 4 MiB limit must not cost 4 MiB for a 100-byte /proc file.
    const chunks: Uint8Array[] = [];
    let length = 0;
    let errno = 0;
    while (length <= maxBytes) {
      const buffer = new ArrayBuffer(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - length));
      const count = os.read(fd, buffer, 0, buffer.byteLength);
      if (count === -ERRNO.EINTR) continue;
      if (count < 0) errno = -count;
      if (count <= 0) break;
      chunks.push(new Uint8Array(buffer, 0, count));
      length += count;
    }
    os.close(fd);
    if (errno !== 0 && errno !== ERRNO.EAGAIN) return failErrno(errno);
    const decoder = createUtf8Decoder();
    let text = "";
    let kept = 0;
    for (const chunk of chunks) {
      text += decoder.decode(chunk.subarray(0, Math.max(0, Math.min(chunk.byteLength, maxBytes - kept))));
      kept += chunk.byteLength;
    }
    return ok({ text: text + decoder.end(), complete: length <= maxBytes });
  };
  return {
    readText(path) {
      const read = readBounded(path, MAX_READ_BYTES);
      if (!read.ok) return read;
      return read.value.complete ? ok(read.value.text) : failErrno(ERRNO_EFBIG);
    },
    readTextBounded: readBounded,
    createFile(path, text, mode) {
      // Unlinking never follows a link; O_CREAT|O_EXCL never follows one either (EEXIST, dangling or
      // not): a link planted at `path` is replaced, the file it points to left alone. qjs has no
      // O_NOFOLLOW (and its value differs between x86 and arm), which this does not need.
      os.remove(path);
      // os.open rather than std.open: only it sets the mode of a new file (secrets are 0600).
      const fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode);
      return fd < 0 ? failErrno(-fd) : writeAll(fd, text);
    },
    writeExisting(path, text) {
      const fd = os.open(path, os.O_WRONLY | os.O_TRUNC);
      return fd < 0 ? failErrno(-fd) : writeAll(fd, text);
    },
    appendExisting(path, text) {
      const fd = os.open(path, os.O_WRONLY | os.O_APPEND);
      return fd < 0 ? failErrno(-fd) : writeAll(fd, text);
    },
    stat: (path) => toFileInfo(os.stat(path)),
    lstat: (path) => toFileInfo(os.lstat(path)),
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

function toFileInfo([info, errno]: [os.Stat, number]): HostResult<FileInfo> {
  if (errno !== 0) return failErrno(errno);
  return ok({ kind: fileKind(info.mode), mode: info.mode & 0o7777, rdev: info.rdev, size: info.size, uid: info.uid });
}

/** Writes all of `text` to `fd` and closes it. */
function writeAll(fd: number, text: string): HostResult<void> {
  const bytes = encodeUtf8(text);
  let offset = 0;
  while (offset < bytes.byteLength) {
    const written = os.write(fd, bytes.buffer as ArrayBuffer, offset, bytes.byteLength - offset);
    if (written === -ERRNO.EINTR) continue;
    if (written <= 0) {
      os.close(fd);
      return failErrno(written < 0 ? -written : ERRNO_EIO);
    }
    offset += written;
  }
  return os.close(fd) === 0 ? ok(undefined) : failErrno(ERRNO_EIO);
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
  if (type === os.S_IFLNK) return "symlink";
  return "other";
}

/** UTF-8 bytes of a string (qjs has no TextEncoder). */
export function encodeUtf8(text: string): Uint8Array {
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
