// `logs [-f]` on the fake host: prints the log ring from tmpfs with each line's time (exit 0), says
// why when there is none (exit 1), refuses unknown options (exit 78); `-f` prints what comes next
// (after a rotation, from a new supervisor's start too) until a stop request.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { FOLLOW_POLL_MS, formatEntries, runLogsCommand } from "../../../src/core/commands/logs-command.ts";
import { RING_FILE_NAME, RING_OLD_FILE_NAME } from "../../../src/core/log/ring-file.ts";
import { createStopRequest } from "../../../src/core/process/stop-request.ts";
import { createCapturedLog } from "../../fakes/captured-log.ts";
import type { FakeEntry } from "../../fakes/fake-files.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const TMPFS_RUN = "1 0 8:1 / / rw - ext4 /dev/root rw\n22 1 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n";
const NO_TMPFS = "1 0 8:1 / / rw - ext4 /dev/root rw\n";
const DIR = "/run/tailscale-supervisor";
const CURRENT = `${DIR}/${RING_FILE_NAME}`;
const OLD = `${DIR}/${RING_OLD_FILE_NAME}`;
const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
const ISO0 = "2024-01-02T03:04:05.006Z";

function setUp(files: Record<string, string | Partial<FakeEntry>>, mountinfo = TMPFS_RUN) {
  const host = createFakeHost({ files: { "/proc/self/mountinfo": mountinfo, "/run": { kind: "directory", mode: 0o755 }, ...files } });
  const { log, entries } = createCapturedLog();
  const stop = createStopRequest();
  let out = "";
  const io = { log, stop, stdout: (text: string) => void (out += text) };
  return { host, io, stop, entries, out: () => out };
}

describe("runLogsCommand", () => {
  it("prints both files of the ring, oldest first, each plain line after its UTC time; exit 0", async () => {
    const { host, io, out, entries } = setUp({ [OLD]: `1 ${T0} INFO supervisor: started\n`, [CURRENT]: `2 ${T0 + 1000} INFO tailscaled: Start\n` });
    expect(await runLogsCommand(host, [], io)).toEqual({ exitCode: 0 });
    expect(out()).toBe(`${ISO0} INFO supervisor: started\n2024-01-02T03:04:06.006Z INFO tailscaled: Start\n`);
    expect(entries).toEqual([]);
  });

  it("an empty ring (the supervisor just started) prints nothing; exit 0", async () => {
    const { host, io, out } = setUp({ [CURRENT]: "" });
    expect(await runLogsCommand(host, [], io)).toEqual({ exitCode: 0 });
    expect(out()).toBe("");
  });

  it("no ring on the tmpfs: exit 1, asking whether the supervisor runs here", async () => {
    const { host, io, out, entries } = setUp({});
    expect(await runLogsCommand(host, [], io)).toEqual({ exitCode: 1 });
    expect(out()).toBe("");
    expect(entries).toEqual([{ level: "error", component: "supervisor", msg: "no log ring", fields: { dir: DIR, why: "is the supervisor running in this container?", fix: "the RouterOS log holds the important lines; TS_TAILSCALED_LOG=all logs all of them" } }]);
  });

  it("no tmpfs at all: exit 1, saying the ring is never written to flash (a file there is not read)", async () => {
    const { host, io, out, entries } = setUp({ [`/tmp/tailscale-supervisor/${RING_FILE_NAME}`]: `1 ${T0} INFO planted\n` }, NO_TMPFS);
    expect(await runLogsCommand(host, [], io)).toEqual({ exitCode: 1 });
    expect(out()).toBe("");
    expect(entries).toMatchObject([{ level: "error", msg: "no log ring", fields: { dir: "/tmp/tailscale-supervisor", why: "the container has no tmpfs (/run, /dev/shm or /tmp), and the ring is never written to flash" } }]);
  });

  it("an unknown option: exit 78 naming it and the fix, before reading anything", async () => {
    const { host, io, out, entries } = setUp({ [CURRENT]: `1 ${T0} INFO a\n` });
    expect(await runLogsCommand(host, ["-f", "--tail", "5"], io)).toEqual({ exitCode: 78 });
    expect(out()).toBe("");
    expect(entries).toEqual([{ level: "error", component: "supervisor", msg: "unknown logs option", fields: { options: "--tail 5", fix: "use logs, or logs -f to follow" } }]);
  });

  it("-f: prints what is appended, after a rotation too, and only once; ends at a stop request with exit 0", async () => {
    const { host, io, stop, out } = setUp({ [CURRENT]: `1 ${T0} INFO a\n` });
    const run = runLogsCommand(host, ["-f"], io);
    await host.settle();
    expect(out()).toBe(`${ISO0} INFO a\n`);
    const poll = async (): Promise<void> => {
      host.advance(FOLLOW_POLL_MS);
      await host.settle();
    };
    host.files.appendExisting(CURRENT, `2 ${T0} INFO b\n`);
    await poll();
    expect(out()).toBe(`${ISO0} INFO a\n${ISO0} INFO b\n`);
    await poll();
    expect(out()).toBe(`${ISO0} INFO a\n${ISO0} INFO b\n`);
    // Rotation: the current file becomes the old one, a new one starts.
    host.files.rename(CURRENT, OLD);
    host.files.createFile(CURRENT, `3 ${T0} INFO c\n`, 0o600);
    await poll();
    expect(out()).toBe(`${ISO0} INFO a\n${ISO0} INFO b\n${ISO0} INFO c\n`);
    stop.request(SIGNAL.TERM, host.clock.now());
    await poll();
    expect(await run).toEqual({ exitCode: 0 });
  });

  it("--follow: a new supervisor's ring (numbers from 1 again) is printed from its start, also after the ring was gone", async () => {
    const { host, io, stop, out } = setUp({ [CURRENT]: `1 ${T0} INFO a\n2 ${T0} INFO b\n` });
    const run = runLogsCommand(host, ["--follow"], io);
    await host.settle();
    host.files.remove(CURRENT);
    host.advance(FOLLOW_POLL_MS);
    await host.settle();
    host.files.createFile(CURRENT, `1 ${T0} INFO again\n`, 0o600);
    host.advance(FOLLOW_POLL_MS);
    await host.settle();
    expect(out()).toBe(`${ISO0} INFO a\n${ISO0} INFO b\n${ISO0} INFO again\n`);
    stop.request(SIGNAL.INT, host.clock.now());
    host.advance(FOLLOW_POLL_MS);
    expect(await run).toEqual({ exitCode: 0 });
  });

  it("-f with the stop already requested: prints the ring and ends without waiting", async () => {
    const { host, io, stop, out } = setUp({ [CURRENT]: `1 ${T0} INFO a\n` });
    stop.request(SIGNAL.TERM, host.clock.now());
    expect(await runLogsCommand(host, ["-f"], io)).toEqual({ exitCode: 0 });
    expect(out()).toBe(`${ISO0} INFO a\n`);
    expect(host.elapsed()).toBe(0);
  });
});

describe("formatEntries", () => {
  it.each([
    ["nothing", [], ""],
    ["a plain line: its UTC time in front", [{ seq: 1, timeMs: T0, line: "WARN supervisor: x" }], `${ISO0} WARN supervisor: x\n`],
    ["a JSON line (it carries its time): as it is", [{ seq: 1, timeMs: T0, line: '{"time":1,"msg":"x"}' }], '{"time":1,"msg":"x"}\n'],
    ["several, in order", [{ seq: 1, timeMs: 0, line: "a" }, { seq: 2, timeMs: 1, line: "b" }], "1970-01-01T00:00:00.000Z a\n1970-01-01T00:00:00.001Z b\n"],
  ])("%s", (_name, entries, expected) => {
    expect(formatEntries(entries)).toBe(expected);
  });
});
