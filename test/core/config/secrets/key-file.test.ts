// Issue 9 items 3 and 10: a `file:` key is read bounded and never blocks; anything but a small regular
// file holding one line is refused, with a message naming the file and never its content.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../../src/core/config/load-config.ts";
import { MAX_KEY_FILE_BYTES, readKeyFile } from "../../../../src/core/config/secrets/key-file.ts";
import type { FakeEntry } from "../../../fakes/fake-files.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

function loadWithKeyFile(entry: string | Partial<FakeEntry>) {
  return loadConfig({ TS_AUTHKEY: "file:/run/secrets/key" }, createFakeHost({ files: { "/run/secrets/key": entry } }).files);
}

function problemOf(entry: string | Partial<FakeEntry>): string {
  const result = loadWithKeyFile(entry);
  if (result.ok) throw new Error("expected the key file to be refused");
  expect(result.issues).toHaveLength(1);
  expect(result.issues[0]).toMatchObject({ variable: "TS_AUTHKEY", value: "file:/run/secrets/key" });
  return result.issues[0]?.problem ?? "";
}

describe("key files are refused with the real reason", () => {
  it.each<[string, string | Partial<FakeEntry>, string]>([
    ["a directory", { kind: "directory", mode: 0o755 }, "the key file /run/secrets/key is a directory, not a regular file"],
    ["a FIFO", { kind: "fifo", mode: 0o600 }, "the key file /run/secrets/key is a FIFO (named pipe), not a regular file"],
    ["/dev/zero", { kind: "char-device", mode: 0o666, rdev: (1 << 8) | 5 }, "the key file /run/secrets/key is a device, not a regular file"],
    ["a socket", { kind: "socket", mode: 0o600 }, "the key file /run/secrets/key is a socket, not a regular file"],
    ["a 10 MB file", "k".repeat(10_000_000), "the key file /run/secrets/key is larger than 4 KiB, so it holds no key"],
    ["one byte too many", "k".repeat(MAX_KEY_FILE_BYTES + 1), "the key file /run/secrets/key is larger than 4 KiB, so it holds no key"],
    ["two lines", "tskey-auth-kA-ONE\ntskey-auth-kB-TWO\n", "the key file /run/secrets/key holds more than one line (the key must be its only line)"],
    ["a line and a comment", "tskey-auth-kA-ONE\n# my key\n", "the key file /run/secrets/key holds more than one line (the key must be its only line)"],
    ["empty", "", "the key file /run/secrets/key is empty"],
    ["blank lines", " \n\n", "the key file /run/secrets/key is empty"],
    ["a space inside", "tskey-auth kA\n", "the key file /run/secrets/key holds white space inside the key"],
    ["an escape sequence", "tskey-auth-kA\u001b[2J\n", "the key file /run/secrets/key holds characters a key never has (control or non-ASCII characters)"],
  ])("%s", (_, entry, problem) => {
    const text = problemOf(entry);
    expect(text).toBe(problem);
    expect(text).not.toMatch(/ONE|TWO|my key|kkk/);
  });

  it("a missing file names the path and the reason", () => {
    expect(loadConfig({ TS_AUTHKEY: "file:/none" }, createFakeHost().files)).toMatchObject({
      ok: false,
      issues: [{ variable: "TS_AUTHKEY", problem: "cannot read the key file /none: No such file or directory" }],
    });
  });
});

describe("key files that are fine", () => {
  it.each([
    ["a key and a newline", "tskey-auth-kA-OK\n"],
    ["CRLF", "tskey-auth-kA-OK\r\n"],
    ["a byte-order mark", "\ufefftskey-auth-kA-OK\n"],
    ["spaces around", "  tskey-auth-kA-OK  \n\n"],
    [`exactly ${MAX_KEY_FILE_BYTES} bytes`, `tskey-auth-kA-OK${" ".repeat(MAX_KEY_FILE_BYTES - 16)}`],
  ])("%s", (_, text) => {
    const result = loadWithKeyFile(text);
    expect(result.ok && result.config.authKey).toEqual({ key: "tskey-auth-kA-OK", kind: "auth-key", file: "/run/secrets/key" });
  });

  it("a symlink to a regular file is followed", () => {
    const files = createFakeHost({ files: { "/run/secrets/real": "hskey-auth-x-1\n", "/run/secrets/key": { kind: "symlink", mode: 0o777, target: "/run/secrets/real" } } }).files;
    expect(loadConfig({ TS_AUTHKEY: "file:/run/secrets/key" }, files)).toMatchObject({ ok: true, config: { authKey: { key: "hskey-auth-x-1" } } });
  });

  it("reads at most 4 KiB + 1 byte of the file, whatever its size", () => {
    const host = createFakeHost({ files: { "/k": "k".repeat(1_000_000) } });
    const asked: number[] = [];
    const files = { ...host.files, readTextBounded: (path: string, maxBytes: number) => (asked.push(maxBytes), host.files.readTextBounded(path, maxBytes)) };
    loadConfig({ TS_AUTHKEY: "file:/k" }, files);
    expect(asked).toEqual([MAX_KEY_FILE_BYTES]);
  });
});

describe("readKeyFile: the fix for each refusal", () => {
  const MOUNT_FIX = "mount the key file into the container (a regular file holding the key on one line) or fix the path";
  it.each<[string, Record<string, string | Partial<FakeEntry>>, { ok: boolean; problem?: string; fix?: string; key?: string }]>([
    ["a key", { "/k": "hs-key\n" }, { ok: true, key: "hs-key" }],
    ["missing", {}, { ok: false, problem: "cannot read the key file /k: No such file or directory", fix: MOUNT_FIX }],
    ["a directory", { "/k": { kind: "directory", mode: 0o755 } }, { ok: false, problem: "the key file /k is a directory, not a regular file", fix: MOUNT_FIX }],
    ["a block device", { "/k": { kind: "block-device", mode: 0o600 } }, { ok: false, problem: "the key file /k is a device, not a regular file", fix: MOUNT_FIX }],
    ["something else", { "/k": { kind: "other", mode: 0o600 } }, { ok: false, problem: "the key file /k is a special file, not a regular file", fix: MOUNT_FIX }],
    ["too large", { "/k": "k".repeat(5000) }, { ok: false, problem: "the key file /k is larger than 4 KiB, so it holds no key", fix: "point TS_AUTHKEY=file: at the file holding only the key" }],
    ["two lines", { "/k": "a\nb\n" }, { ok: false, problem: "the key file /k holds more than one line (the key must be its only line)", fix: "write the auth key, and nothing else, into the file" }],
  ])("%s", (_, files, read) => {
    expect(readKeyFile(createFakeHost({ files }).files, "/k")).toEqual(read);
  });

  it("a file that cannot be read after all: why", () => {
    const host = createFakeHost({ files: { "/k": "x" } });
    host.files.readTextBounded = () => ({ ok: false, error: { code: "EACCES", message: "Permission denied" } });
    expect(readKeyFile(host.files, "/k")).toEqual({ ok: false, problem: "cannot read the key file /k: Permission denied", fix: MOUNT_FIX });
  });
});
