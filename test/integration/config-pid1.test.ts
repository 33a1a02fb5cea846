// Issue 9 items 3, 4 (configuration and key reads) and 5, with the committed bundle under qjs as a real
// PID 1: no key file blocks or floods it, a 1 MB environment is read in well under a second, and a
// TERM that comes while the configuration is read stops it before anything is started.
import { execaSync } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pollFor, startSupervisorInNamespace } from "../support/pid1.ts";

// Generous: the configuration of a 1 MB environment takes ~0.3 s under qjs here; before these
// fixes, 10,000 routes took 13 s and a FIFO or /dev/zero as key file never ended.
const PROMPT_MS = 5000;

/** True when the process has a handler for `signal` (SigCgt in /proc/<pid>/status). */
function catchesSignal(pid: number, signal: number): boolean {
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0";
  return (BigInt(`0x${caught}`) & (1n << BigInt(signal - 1))) !== 0n;
}

/** About 1 MB of environment that was slow to validate: 9,000 routes, a 16,000-character unknown name, big unknown values. */
function heavyEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    // 9,000 routes: as many as one environment string can hold (the kernel's limit is 128 KiB).
    TS_ROUTES: Array.from({ length: 9000 }, (_, index) => `10.${index >> 8}.${index & 255}.0/24`).join(","),
    [`TS_${"A".repeat(16_000)}`]: "x",
  };
  for (let index = 0; index < 7; index += 1) env[`TS_BULK_${index}`] = "v".repeat(120_000);
  return env;
}

describe("PID 1: key files that are not key files", () => {
  const dir = mkdtempSync(join(tmpdir(), "config-pid1-"));
  execaSync("mkfifo", [join(dir, "fifo")]);
  writeFileSync(join(dir, "big"), "k".repeat(10_000_000));

  it.each([
    ["a FIFO without a writer", join(dir, "fifo"), "is a FIFO (named pipe), not a regular file"],
    ["/dev/zero", "/dev/zero", "is a device, not a regular file"],
    ["a 10 MB file", join(dir, "big"), "is larger than 4 KiB, so it holds no key"],
    ["a directory", dir, "is a directory, not a regular file"],
  ])("%s: exit 78 at once, naming the file", async (_, path, problem) => {
    const startedAt = Date.now();
    const run = startSupervisorInNamespace({ TS_AUTHKEY: `file:${path}` });
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(78);
    expect(atMs - startedAt).toBeLessThan(PROMPT_MS);
    expect(run.output()).toContain(`problem="the key file ${path} ${problem}"`);
    expect(run.lines("tailscaled.runs")).toEqual([]);
  }, 30_000);
});

describe("PID 1: a 1 MB environment", () => {
  it("is validated promptly (config command)", async () => {
    const startedAt = Date.now();
    const run = startSupervisorInNamespace(heavyEnvironment(), { args: ["config"] });
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(0);
    expect(atMs - startedAt).toBeLessThan(PROMPT_MS);
    expect(run.output()).toMatch(/^TS_ROUTES +10\.0\.0\.0\/24,10\.0\.1\.0\/24,.*,10\.35\.39\.0\/24 +from TS_ROUTES$/m);
  }, 60_000);

  it("TERM while it is read: exit 0 promptly, nothing started", async () => {
    const run = startSupervisorInNamespace(heavyEnvironment());
    const pid = await run.supervisorPid();
    await pollFor(() => (catchesSignal(pid, 15) ? true : undefined), PROMPT_MS, () => "TERM never caught");
    const sentAt = Date.now();
    await run.signal("SIGTERM");
    const { exitCode, atMs } = await run.exit();
    expect(exitCode).toBe(0);
    expect(atMs - sentAt).toBeLessThan(PROMPT_MS);
    expect(run.lines("tailscaled.runs")).toEqual([]);
    // Not even preflight ran: a stop request during start-up is seen right after the configuration.
    expect(run.output()).not.toMatch(/tailscaled plan|firewall backend/);
  }, 60_000);
});
