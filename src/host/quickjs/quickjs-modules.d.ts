// Type declarations for the parts of QuickJS's `os` and `std` modules the host uses (qjs 2025-04-26).

declare module "os" {
  export function exec(
    args: readonly string[],
    options?: { block?: boolean; usePath?: boolean; file?: string; cwd?: string; stdin?: number; stdout?: number; stderr?: number; env?: Record<string, string> },
  ): number;
  export function waitpid(pid: number, options: number): [number, number];
  export function kill(pid: number, signal: number): number;
  export function signal(signal: number, handler: (() => void) | null | undefined): void;
  export function setTimeout(callback: () => void, delayMs: number): unknown;
  export function clearTimeout(handle: unknown): void;
  /** What stat/lstat give (more fields exist; these are used). */
  export interface Stat {
    mode: number;
    rdev: number;
    size: number;
    uid: number;
  }
  export function stat(path: string): [Stat, number];
  export function lstat(path: string): [Stat, number];
  export function getpid(): number;
  /** Milliseconds (with microseconds) of a monotonic clock. */
  export function now(): number;
  export function pipe(): [number, number] | null;
  export function close(fd: number): number;
  export function open(path: string, flags: number, mode?: number): number;
  export function read(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  export function setReadHandler(fd: number, handler: (() => void) | null): void;
  export function write(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  export function mkdir(path: string, mode?: number): number;
  export function readdir(path: string): [string[], number];
  export function remove(path: string): number;
  export function rename(from: string, to: string): number;
  export function readlink(path: string): [string, number];
  export function symlink(target: string, linkpath: string): number;
  export const O_RDONLY: number;
  export const O_RDWR: number;
  export const O_WRONLY: number;
  export const O_CREAT: number;
  export const O_TRUNC: number;
  export const O_EXCL: number;
  export const O_APPEND: number;
  export const WNOHANG: number;
  export const S_IFMT: number;
  export const S_IFREG: number;
  export const S_IFDIR: number;
  export const S_IFCHR: number;
  export const S_IFBLK: number;
  export const S_IFIFO: number;
  export const S_IFSOCK: number;
  export const S_IFLNK: number;
}

declare module "std" {
  export interface FILE {
    puts(text: string): void;
    flush(): void;
    readAsString(maxSize?: number): string;
    close(): number;
  }
  export const out: FILE;
  export const err: FILE;
  export function open(path: string, mode: string, error?: { errno: number }): FILE | null;
  export function getenviron(): Record<string, string>;
  export function loadFile(path: string): string | null;
  export function strerror(errno: number): string;
  export function exit(code: number): never;
  export const Error: { readonly ENOENT: number; readonly EACCES: number; readonly EINVAL: number; readonly EIO: number; readonly ENOSPC: number; readonly ERANGE: number; readonly EEXIST: number; readonly EBADF: number; readonly ENOTDIR: number; readonly EPERM: number };
}

declare const scriptArgs: readonly string[];
