// The machine as the first log line tells it: version, architecture (/proc/sys/kernel/arch, else
// `uname -m`), kernel, and whether we are PID 1.
import { describe, expect, it } from "vitest";
import { readSystemFacts } from "../../../src/core/startup/system-facts.ts";
import { SUPERVISOR_VERSION } from "../../../src/core/version.ts";
import { createFakeCommands } from "../../fakes/fake-commands.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

describe("readSystemFacts", () => {
  it("reads the architecture and kernel from /proc without running anything", async () => {
    const host = createFakeHost({ files: { "/proc/sys/kernel/arch": "aarch64\n", "/proc/sys/kernel/osrelease": "5.6.3\n" } });
    const commands = createFakeCommands();
    expect(await readSystemFacts(host, commands.runner)).toEqual({ version: SUPERVISOR_VERSION, arch: "aarch64", kernel: "5.6.3", pid1: true });
    expect(commands.ran).toEqual([]);
  });

  it("asks uname -m when the kernel has no /proc/sys/kernel/arch (before 6.1), within its time limit", async () => {
    const host = createFakeHost({ files: { "/proc/sys/kernel/arch": "\n" } });
    const commands = createFakeCommands(() => ({ stdout: "armv7l\n" }));
    expect(await readSystemFacts(host, commands.runner)).toMatchObject({ arch: "armv7l", kernel: "unknown" });
    expect(commands.ran).toEqual([["uname", "-m"]]);
    expect(commands.options).toEqual([{ label: "uname -m", timeoutMs: 5000 }]);
  });

  it.each([
    [{ failure: "not-started", error: "uname -m could not be started" } as const, "unknown (uname -m could not be started)"],
    [{ stdout: " \n" }, "unknown"],
  ])("an architecture nobody can tell: %j → %s", async (answer, arch) => {
    expect((await readSystemFacts(createFakeHost(), createFakeCommands(() => answer).runner)).arch).toBe(arch);
  });

  it("not PID 1 when the host says so", async () => {
    const host = createFakeHost({ files: { "/proc/sys/kernel/arch": "x86_64" } });
    Object.assign(host.processes, { selfPid: 42 });
    expect((await readSystemFacts(host, createFakeCommands().runner)).pid1).toBe(false);
  });
});
