// The Host port on QuickJS: processes, clock, signals and output here; files and spawning beside it.
import * as os from "os";
import * as std from "std";
import type { ExitStatus, Host } from "../../core/host.ts";
import { fail, ok } from "../../core/host.ts";
import { errnoName } from "./quickjs-errors.ts";
import { createQuickJsFiles } from "./quickjs-files.ts";
import { takeEarlySignal } from "./early-signals.ts";
import { spawn } from "./quickjs-spawn.ts";

/** Builds the host for the running qjs process. */
export function createQuickJsHost(): Host {
  return {
    argv: scriptArgs.slice(1),
    env: std.getenviron(),
    files: createQuickJsFiles(),
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
    signals: {
      on(signal, handler) {
        os.signal(signal, handler);
        // Delivered before anyone listened: hand it over from the event loop.
        if (takeEarlySignal(signal)) os.setTimeout(handler, 0);
      },
    },
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
