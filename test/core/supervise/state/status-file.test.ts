// The state recorded for `health`: written atomically, read back only when whole.
import { describe, expect, it } from "vitest";
import { fail } from "../../../../src/core/host.ts";
import { readStatus, STATUS_FILE_NAME, writeStatus } from "../../../../src/core/supervise/state/status-file.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const DIR = "/run/tailscale-supervisor";
const STATUS = { supervisorPid: 1, state: "Running", sinceMs: 1234 } as const;

describe("writeStatus and readStatus", () => {
  it("writes through a temporary file renamed into place (mode 644), and reads it back", () => {
    const host = createFakeHost({ files: { [DIR]: { kind: "directory", mode: 0o700 } } });
    writeStatus(host.files, DIR, STATUS);
    expect(host.files.entries.get(`${DIR}/${STATUS_FILE_NAME}`)).toEqual({ kind: "file", mode: 0o644, text: `${JSON.stringify(STATUS)}\n` });
    expect(host.files.entries.has(`${DIR}/status.json.tmp`)).toBe(false);
    expect(readStatus(host.files, DIR)).toEqual(STATUS);
  });

  it("a temporary file that cannot be written leaves the old status", () => {
    const host = createFakeHost({ files: { [`${DIR}/status.json`]: JSON.stringify(STATUS) } });
    host.files.createFile = () => fail("ENOSPC", "No space left on device");
    writeStatus(host.files, DIR, { ...STATUS, state: "Stopped" });
    expect(readStatus(host.files, DIR)).toEqual(STATUS);
  });

  it.each([
    ["no file", undefined],
    ["not JSON", "{"],
    ["no pid", JSON.stringify({ state: "Running", sinceMs: 1 })],
    ["a state that is no string", JSON.stringify({ supervisorPid: 1, state: 7, sinceMs: 1 })],
    ["no time", JSON.stringify({ supervisorPid: 1, state: "Running" })],
  ])("%s: nothing recorded", (_, text) => {
    const host = createFakeHost({ files: text === undefined ? {} : { [`${DIR}/status.json`]: text } });
    expect(readStatus(host.files, DIR)).toBeUndefined();
  });

  it("keeps only the fields it knows", () => {
    const host = createFakeHost({ files: { [`${DIR}/status.json`]: JSON.stringify({ ...STATUS, extra: true }) } });
    expect(readStatus(host.files, DIR)).toEqual(STATUS);
  });
});
