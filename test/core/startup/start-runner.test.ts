// The start of `doctor` and the supervisor: the reaper, the runner (with setsid for own sessions when
// it is on PATH) and the first log line, the machine.
import { describe, expect, it } from "vitest";
import { createRedactor } from "../../../src/core/log/redact.ts";
import { createStopRequest } from "../../../src/core/process/stop-request.ts";
import { startCommands } from "../../../src/core/startup/start-runner.ts";
import { SUPERVISOR_VERSION } from "../../../src/core/version.ts";
import { createCapturedLog } from "../../fakes/captured-log.ts";
import { configOf } from "../../fakes/config-of.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

/** The probes' environment (PATH only) and the redactor of their output. */
const CHILDREN = { env: { PATH: "/usr/bin" }, redactor: createRedactor() };
const FILES = { "/proc/sys/kernel/arch": "x86_64\n", "/proc/sys/kernel/osrelease": "6.1.0\n" };

describe("startCommands", () => {
  it("logs the machine first, under preflight", async () => {
    const host = createFakeHost({ files: FILES });
    const { log, entries } = createCapturedLog();
    const started = await startCommands(host, configOf({}), createStopRequest(), log, CHILDREN);
    expect(started.system).toEqual({ version: SUPERVISOR_VERSION, arch: "x86_64", kernel: "6.1.0", pid1: true });
    expect(entries).toEqual([{ level: "info", component: "preflight", msg: "system", fields: { version: SUPERVISOR_VERSION, arch: "x86_64", kernel: "6.1.0", pid1: true } }]);
    started.reaper.stop();
  });

  it.each([
    ["with setsid on PATH, a hook runs in a session of its own", { "/usr/bin/setsid": { kind: "file", mode: 0o755 } as const }, ["setsid", "/hook"]],
    ["without setsid, as it is", {}, ["/hook"]],
  ])("%s", async (_, files, argv) => {
    const host = createFakeHost({ env: { PATH: "/usr/bin" }, files: { ...FILES, ...files } });
    const { log } = createCapturedLog();
    const { commands, reaper } = await startCommands(host, configOf({}), createStopRequest(), log, CHILDREN);
    await host.drive(commands.run(["/hook"], { label: "hook", timeoutMs: 1000, ownSession: true }));
    expect(host.spawned.map((process) => process.argv)).toEqual([argv]);
    reaper.stop();
  });

  it("the runner ends commands on a stop within TS_STOP_GRACE", async () => {
    const host = createFakeHost({ files: FILES, script: () => ({ onTerm: "ignore" }) });
    const { log } = createCapturedLog();
    const stop = createStopRequest();
    const { commands, reaper } = await startCommands(host, configOf({ TS_STOP_GRACE: "3s" }), stop, log, CHILDREN);
    const running = commands.run(["sleep"], { label: "sleep", timeoutMs: 60_000 });
    await host.settle();
    stop.request(15, host.clock.now());
    const result = await host.drive(running);
    expect(result).toMatchObject({ ok: false, reason: "stopped" });
    expect(host.spawned[0]?.exitedAtMs).toBe((host.spawned[0]?.startedAtMs ?? 0) + 3000);
    expect(commands.stopping).toBe(true);
    reaper.stop();
  });
});
