// Types of tar.mjs for the TypeScript tests.
export interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly data: Buffer;
}
export function readTarEntries(tar: Buffer): TarEntry[];
export function readTarEntry(tar: Buffer, name: string): Buffer;
