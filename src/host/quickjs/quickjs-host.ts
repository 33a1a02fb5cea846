// The Host port on QuickJS's `os` and `std` modules: the one place that touches them.
import * as os from "os";
import * as std from "std";
import type { ExitStatus, FileInfo, Host, HostResult } from "../../core/host.ts";
import { fail, ok } from "../../core/host.ts";
import { errnoName } from "./quickjs-errors.ts";
import { spawn } from "./quickjs-spawn.ts";

/** Builds the host for the running qjs process. */
export function createQuickJsHost(): Host {
  return {
    argv: scriptArgs.slice(1),
    env: std.getenviron(),
    files: { readText, writeText, stat },
    processes: {
      spawn,
      kill(pid, signal) {
        const result = os.kill(pid, signal);
        return result < 0 ? fail(errnoName(-result), std.strerror(-result)) : ok(undefined);
      },
      reapOne() {
        const [pid, status] = os.waitpid(-1, os.WNOHANG);
        return pid > 0 ? { pid, status: decodeWaitStatus(status) } : null;
      },
      selfPid: os.getpid(),
    },
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, delayMs) => ({ id: os.setTimeout(callback, delayMs) }),
      clearTimeout: (handle) => os.clearTimeout(handle.id),
    },
    signals: { on: (signal, handler) => os.signal(signal, handler) },
    output: {
      stdout: (text) => write(std.out, text),
      stderr: (text) => write(std.err, text),
    },
  };
}

function write(file: std.FILE, text: string): void {
  file.puts(text);
  file.flush();
}

/** Raw wait status → exited with code, or killed by signal (os.waitpid does not decode it). */
export function decodeWaitStatus(status: number): ExitStatus {
  return (status & 0x7f) === 0 ? { kind: "exited", code: (status >> 8) & 0xff } : { kind: "killed", signal: status & 0x7f };
}

function readText(path: string): HostResult<string> {
  const error = { errno: 0 };
  const file = std.open(path, "r", error);
  if (file === null) return fail(errnoName(error.errno), `${std.strerror(error.errno)}`);
  const text = file.readAsString();
  file.close();
  return ok(text);
}

function writeText(path: string, text: string): HostResult<void> {
  const error = { errno: 0 };
  const file = std.open(path, "w", error);
  if (file === null) return fail(errnoName(error.errno), `${std.strerror(error.errno)}`);
  file.puts(text);
  file.flush();
  return file.close() === 0 ? ok(undefined) : fail("EIO", "write failed");
}

function stat(path: string): HostResult<FileInfo> {
  const [info, errno] = os.stat(path);
  if (errno !== 0) return fail(errnoName(errno), std.strerror(errno));
  return ok({ kind: fileKind(info.mode), mode: info.mode & 0o7777, rdev: info.rdev, size: info.size });
}

function fileKind(mode: number): FileInfo["kind"] {
  const type = mode & os.S_IFMT;
  if (type === os.S_IFREG) return "file";
  if (type === os.S_IFDIR) return "directory";
  if (type === os.S_IFCHR) return "char-device";
  if (type === os.S_IFBLK) return "block-device";
  return "other";
}
