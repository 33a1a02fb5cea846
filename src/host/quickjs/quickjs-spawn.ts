// Starting children on QuickJS: os.exec without blocking, stdout/stderr to us, a pipe, or /dev/null.
import * as os from "os";
import * as std from "std";
import type { HostResult, ReadStream, SpawnedProcess, SpawnOptions, StdioMode } from "../../core/host.ts";
import { fail, ok } from "../../core/host.ts";
import { ERRNO, errnoName } from "./quickjs-errors.ts";
import { encodeUtf8 } from "./quickjs-files.ts";

const READ_CHUNK_BYTES = 4096;

/** Starts argv[0] (looked up on PATH). An exec failure shows up later as exit status 127. */
export function spawn(argv: readonly string[], options: SpawnOptions): HostResult<SpawnedProcess> {
  const stdout = openStdio(options.stdout ?? "inherit");
  const stderr = openStdio(options.stderr ?? "inherit");
  const stdin = options.stdin === undefined ? ok(undefined) : openStdin(options.stdin);
  if (!stdout.ok || !stderr.ok || !stdin.ok) {
    closeStdio(stdout.ok ? stdout.value : undefined, true);
    closeStdio(stderr.ok ? stderr.value : undefined, true);
    if (stdin.ok && stdin.value !== undefined) os.close(stdin.value);
    return fail("EMFILE", "cannot create pipes for the child");
  }
  const pid = os.exec(argv, {
    block: false,
    usePath: true,
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(stdout.value === undefined ? {} : { stdout: stdout.value.childFd }),
    ...(stderr.value === undefined ? {} : { stderr: stderr.value.childFd }),
    ...(stdin.value === undefined ? {} : { stdin: stdin.value }),
  });
  if (stdin.value !== undefined) os.close(stdin.value);
  // The child has its copies now; ours of the write ends must go or EOF never comes.
  closeStdio(stdout.value, pid < 0);
  closeStdio(stderr.value, pid < 0);
  if (pid < 0) return fail(errnoName(-pid), std.strerror(-pid));
  return ok({
    pid,
    ...(stdout.value?.readFd === undefined ? {} : { stdout: createReadStream(stdout.value.readFd) }),
    ...(stderr.value?.readFd === undefined ? {} : { stderr: createReadStream(stderr.value.readFd) }),
  });
}

interface Stdio {
  readonly childFd: number;
  readonly readFd?: number;
}

function openStdio(mode: StdioMode): HostResult<Stdio | undefined> {
  if (mode === "inherit") return ok(undefined);
  if (mode === "null") {
    const fd = os.open("/dev/null", os.O_RDWR);
    return fd < 0 ? fail(errnoName(-fd), std.strerror(-fd)) : ok({ childFd: fd });
  }
  const fds = os.pipe();
  return fds === null ? fail("EMFILE", "pipe failed") : ok({ childFd: fds[1], readFd: fds[0] });
}

/**
 * The read end of a pipe already holding `text`, its write end closed (the reader gets the text, then
 * end of file). The text must fit in the pipe (64 KiB on Linux): a key is under 4 KiB, so the write
 * never blocks.
 */
function openStdin(text: string): HostResult<number> {
  const fds = os.pipe();
  if (fds === null) return fail("EMFILE", "pipe failed");
  const [readFd, writeFd] = fds;
  const bytes = encodeUtf8(text);
  let offset = 0;
  while (offset < bytes.byteLength) {
    const written = os.write(writeFd, bytes.buffer as ArrayBuffer, offset, bytes.byteLength - offset);
    if (written === -ERRNO.EINTR) continue;
    if (written <= 0) break;
    offset += written;
  }
  os.close(writeFd);
  if (offset < bytes.byteLength) {
    os.close(readFd);
    return fail("EPIPE", "cannot write the child's input");
  }
  return ok(readFd);
}

function closeStdio(stdio: Stdio | undefined, alsoReadEnd: boolean): void {
  if (stdio === undefined) return;
  os.close(stdio.childFd);
  if (alsoReadEnd && stdio.readFd !== undefined) os.close(stdio.readFd);
}

function createReadStream(fd: number): ReadStream {
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    os.setReadHandler(fd, null);
    os.close(fd);
  };
  return {
    read(onChunk) {
      const buffer = new ArrayBuffer(READ_CHUNK_BYTES);
      os.setReadHandler(fd, () => {
        const count = os.read(fd, buffer, 0, READ_CHUNK_BYTES);
        if (count > 0) {
          onChunk(new Uint8Array(buffer.slice(0, count)));
          return;
        }
        if (count === -ERRNO.EINTR || count === -ERRNO.EAGAIN) return;
        close();
        onChunk(null);
      });
    },
    close,
  };
}
