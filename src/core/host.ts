// The one port between the runtime-agnostic core and the machine it runs on.

/** An expected OS failure, as a value: `code` is the errno name (ENOENT, EACCES, ...). */
export interface HostError {
  readonly code: string;
  readonly message: string;
}

/** Outcome of a host call that can fail in an expected way. */
export type HostResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: HostError };

/** What `stat` tells about a path (symlinks followed; `lstat`: the link itself, kind "symlink"). */
export interface FileInfo {
  readonly kind: "file" | "directory" | "char-device" | "block-device" | "fifo" | "socket" | "symlink" | "other";
  /** Permission bits only (e.g. 0o600). */
  readonly mode: number;
  /** Device number of a device node, `major << 8 | minor` for small numbers. */
  readonly rdev: number;
  readonly size: number;
  /** The owner's user id. */
  readonly uid: number;
}

/** How a child process ended. */
export type ExitStatus = { readonly kind: "exited"; readonly code: number } | { readonly kind: "killed"; readonly signal: number };

/** What a child's stdout/stderr is connected to: ours, a pipe we read, or /dev/null. */
export type StdioMode = "inherit" | "pipe" | "null";

/** Options for starting a child process. */
export interface SpawnOptions {
  /** Full environment of the child; the parent's when omitted. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Default "inherit". */
  readonly stdout?: StdioMode;
  /** Default "inherit". */
  readonly stderr?: StdioMode;
  /**
   * Text the child reads on its stdin (a pipe holding it, closed after it: the child sees its end);
   * default: the parent's stdin. How a secret reaches a command without being in its argv.
   */
  readonly stdin?: string;
}

/** A started child: its pid and the read ends of the pipes asked for. */
export interface SpawnedProcess {
  readonly pid: number;
  readonly stdout?: ReadStream;
  readonly stderr?: ReadStream;
}

/** The read end of a pipe. */
export interface ReadStream {
  /**
   * Calls `onChunk` from the event loop with each chunk of bytes as they arrive, then once with
   * null at end of file (after which the stream is closed).
   */
  read(onChunk: (chunk: Uint8Array | null) => void): void;
  /** Stops reading and closes our end (no more calls of `onChunk`, not even null): a pipe a leftover grandchild keeps open never ends. */
  close(): void;
}

/** The most `readText` reads. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/** The start of a file, as read by `readTextBounded`. */
export interface BoundedText {
  readonly text: string;
  /** False when the file holds more than the bytes asked for. */
  readonly complete: boolean;
}

/** Files and directories. */
export interface FilesPort {
  /**
   * A whole file (UTF-8) of at most MAX_READ_BYTES (EFBIG beyond), read without ever blocking: a
   * FIFO or a device gives what it has at once. /proc files, the state files, the runtime directory's.
   */
  readText(path: string): HostResult<string>;
  /**
   * Reads at most `maxBytes` (UTF-8) without ever blocking: the open and the reads do not wait for
   * a FIFO's writer or a device (EAGAIN instead). For files that may be anything (a user's key file).
   */
  readTextBounded(path: string, maxBytes: number): HostResult<BoundedText>;
  /**
   * Creates a new file holding `text` with `mode` (before the umask): whatever is at `path` is removed
   * first and the file created with O_EXCL, so a link planted there is never followed (nor any file
   * it points to truncated); EEXIST when something got there in between.
   */
  createFile(path: string, text: string, mode: number): HostResult<void>;
  /** Writes into an existing file (a sysctl under /proc/sys): never creates one. */
  writeExisting(path: string, text: string): HostResult<void>;
  /**
   * Appends to a file the supervisor created itself (createFile) in its own directory; never creates
   * one (ENOENT when it is gone).
   */
  appendExisting(path: string, text: string): HostResult<void>;
  stat(path: string): HostResult<FileInfo>;
  /** Like `stat`, but a symlink is reported as itself. */
  lstat(path: string): HostResult<FileInfo>;
  /** Creates one directory (not its parents); EEXIST when it is there. */
  mkdir(path: string, mode: number): HostResult<void>;
  /** Entry names, without `.` and `..`. */
  readDir(path: string): HostResult<readonly string[]>;
  /** Removes a file or an empty directory. */
  remove(path: string): HostResult<void>;
  rename(from: string, to: string): HostResult<void>;
  readLink(path: string): HostResult<string>;
  /** Creates a symbolic link at `path` pointing to `target`; EEXIST when `path` is taken. */
  symlink(target: string, path: string): HostResult<void>;
  /** Opens `path` read-write and closes it at once: may this process use it (device cgroup, permissions)? */
  tryOpenReadWrite(path: string): HostResult<void>;
}

/** Child processes: start, signal, and reap (waitpid(-1, WNOHANG)). */
export interface ProcessesPort {
  /** Starts `argv[0]` (looked up on PATH) without waiting; returns its pid. */
  spawn(argv: readonly string[], options: SpawnOptions): HostResult<SpawnedProcess>;
  kill(pid: number, signal: number): HostResult<void>;
  /** Collects one exited child without blocking; null when none is waiting. */
  reapOne(): { readonly pid: number; readonly status: ExitStatus } | null;
  /** This process's own pid (1 when it is a container's init). */
  readonly selfPid: number;
}

/** A pending timer. */
export interface TimerHandle {
  readonly id: unknown;
}

/** Time: a wall clock in ms and one-shot timers (the only thing keeping a QuickJS loop alive). */
export interface ClockPort {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Signal handlers; the handler runs from the event loop, never inside a system call. */
export interface SignalsPort {
  on(signal: number, handler: () => void): void;
}

/** The process's standard streams; each call writes whole text and flushes. */
export interface OutputPort {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Everything the core may touch of the outside world. */
export interface Host {
  /** Arguments after the script path. */
  readonly argv: readonly string[];
  /** The environment at start. */
  readonly env: Readonly<Record<string, string>>;
  readonly files: FilesPort;
  readonly processes: ProcessesPort;
  readonly clock: ClockPort;
  readonly signals: SignalsPort;
  readonly output: OutputPort;
}

/** Linux signal numbers the supervisor uses (identical on x86, arm and arm64). */
export const SIGNAL = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  TERM: 15,
  CHLD: 17,
} as const;

/** Builds a success value. */
export function ok<T>(value: T): HostResult<T> {
  return { ok: true, value };
}

/** Builds an expected-failure value. */
export function fail<T>(code: string, message: string): HostResult<T> {
  return { ok: false, error: { code, message } };
}
