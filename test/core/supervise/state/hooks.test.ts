// STARTUP_SCRIPT and RUNNING_SCRIPT: run in a session of their own within TS_SCRIPT_TIMEOUT (through sh
// without the exec bit), their output logged line by line; RUNNING_SCRIPT once, its failure a warning.
import { describe, expect, it } from "vitest";
import { createRunningScript, runHook, type Hook } from "../../../../src/core/supervise/state/hooks.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeCommands, type FakeAnswer } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const HOOK: Hook = { variable: "STARTUP_SCRIPT", path: "/etc/start.sh", env: { PATH: "/bin" }, timeoutMs: 300_000 };
const files = (mode: number) => createFakeHost({ files: { "/etc/start.sh": { kind: "file", mode } } }).files;

async function run(answer: FakeAnswer, mode = 0o755, hook: Hook = HOOK) {
  const commands = createFakeCommands(() => answer);
  const { log, entries } = createCapturedLog("hook");
  const result = await runHook(files(mode), commands.runner, log, hook);
  return { result, commands, entries };
}

describe("runHook", () => {
  it("runs an executable script in its own session, with its environment and time limit, logging its output", async () => {
    const { result, commands, entries } = await run({ code: 0, stdout: "one\n\ntwo\n", stderr: "err\n" });
    expect(result).toEqual({ kind: "exited", code: 0 });
    expect(commands.ran).toEqual([["/etc/start.sh"]]);
    expect(commands.options).toEqual([{ label: "STARTUP_SCRIPT /etc/start.sh", timeoutMs: 300_000, env: { PATH: "/bin" }, ownSession: true }]);
    expect(entries.map((entry) => [entry.msg, entry.fields])).toEqual([
      ["running hook", { script: "/etc/start.sh" }],
      ["one", undefined],
      ["two", undefined],
      ["err", undefined],
      ["hook finished", { script: "/etc/start.sh", exitCode: 0 }],
    ]);
  });

  it.each([0o644, 0o600])("a script without the exec bit (mode %o) runs through sh", async (mode) => {
    expect((await run({ code: 0 }, mode)).commands.ran).toEqual([["sh", "/etc/start.sh"]]);
  });

  it.each([0o744, 0o710, 0o701])("one exec bit is enough (mode %o)", async (mode) => {
    expect((await run({ code: 0 }, mode)).commands.ran).toEqual([["/etc/start.sh"]]);
  });

  it.each([
    [{ code: 3 }, { kind: "exited", code: 3 }],
    [{ signal: 9 }, { kind: "exited", code: 137 }],
    [{ failure: "stopped", error: "ended by the stop request" } as const, { kind: "stopped" }],
    [{ failure: "timed-out", error: "STARTUP_SCRIPT /etc/start.sh did not finish within 5m and was ended" } as const, { kind: "failed", error: "STARTUP_SCRIPT /etc/start.sh did not finish within 5m and was ended" }],
  ])("%j → %j", async (answer, expected) => {
    expect((await run(answer)).result).toEqual(expected);
  });

  it("the output of a script that did not finish is still logged", async () => {
    const commands = createFakeCommands();
    commands.runner.run = async () => ({ ok: false, reason: "timed-out", error: "timed out", stdout: "partial\n", stderr: "" });
    const { log, entries } = createCapturedLog("hook");
    await runHook(files(0o755), commands.runner, log, HOOK);
    expect(entries.map((entry) => entry.msg)).toEqual(["running hook", "partial"]);
  });

  it("a script that is not there cannot be run: why, and nothing run", async () => {
    const commands = createFakeCommands();
    const { log } = createCapturedLog();
    expect(await runHook(createFakeHost().files, commands.runner, log, HOOK)).toEqual({ kind: "failed", error: "STARTUP_SCRIPT /etc/start.sh cannot be run: No such file or directory" });
    expect(commands.ran).toEqual([]);
  });
});

describe("createRunningScript", () => {
  const RUNNING: Hook = { ...HOOK, variable: "RUNNING_SCRIPT" };

  it("runs once per supervisor, under hook", async () => {
    const commands = createFakeCommands();
    const { log, entries } = createCapturedLog();
    const runScript = createRunningScript(files(0o755), commands.runner, log, RUNNING);
    await runScript();
    await runScript();
    expect(commands.ran).toHaveLength(1);
    expect(commands.options[0]?.label).toBe("RUNNING_SCRIPT /etc/start.sh");
    expect(new Set(entries.map((entry) => entry.component))).toEqual(new Set(["hook"]));
  });

  it("no RUNNING_SCRIPT: nothing run", async () => {
    const commands = createFakeCommands();
    await createRunningScript(files(0o755), commands.runner, createCapturedLog().log, undefined)();
    expect(commands.ran).toEqual([]);
  });

  it.each([
    [{ code: 2 }, { script: "/etc/start.sh", exitCode: 2 }],
    [{ failure: "timed-out", error: "too slow" } as const, { script: "/etc/start.sh", error: "too slow" }],
  ])("a failure (%j) is a warning; tailscale goes on", async (answer, fields) => {
    const { log, entries } = createCapturedLog();
    await createRunningScript(files(0o755), createFakeCommands(() => answer).runner, log, RUNNING)();
    expect(entries.filter((entry) => entry.level === "warn")).toEqual([{ level: "warn", component: "supervisor", msg: "RUNNING_SCRIPT failed", fields }]);
  });

  it("a stop while it runs is no failure", async () => {
    const { log, entries } = createCapturedLog();
    await createRunningScript(files(0o755), createFakeCommands(() => ({ failure: "stopped", error: "stopped" })).runner, log, RUNNING)();
    expect(entries.filter((entry) => entry.level === "warn")).toEqual([]);
  });
});
