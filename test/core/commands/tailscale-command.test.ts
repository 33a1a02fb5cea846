// Any other arguments: `tailscale <args>` as the old image ran it, with --socket when TS_SOCKET is set,
// the user's signals passed on, and its exit code (127 explained).
import { describe, expect, it } from "vitest";
import { fail, SIGNAL } from "../../../src/core/host.ts";
import { runTailscaleCommand } from "../../../src/core/commands/tailscale-command.ts";
import { createCapturedLog } from "../../fakes/captured-log.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import type { FakeProcessScript } from "../../fakes/fake-host.ts";

/** The environment the CLI gets (what config/secrets/child-environments.ts chose), passed as is. */
const ENV = { PATH: "/usr/local/bin:/usr/bin", TS_SOCKET_NOT_A_SECRET: "x" };

function start(args: readonly string[], socket: string | undefined, script: FakeProcessScript = { runMs: 5, exit: { kind: "exited", code: 0 } }) {
  const host = createFakeHost({ script: () => script });
  const { log, entries } = createCapturedLog();
  return { host, entries, outcome: runTailscaleCommand(host, args, { socket, env: ENV }, log) };
}

describe("runTailscaleCommand", () => {
  it("runs tailscale with the arguments (and --socket first when given) in the environment given, logging the argv at debug", async () => {
    const { host, entries, outcome } = start(["status", "--json"], "/tmp/ts.sock");
    expect(await host.drive(outcome)).toEqual({ exitCode: 0 });
    expect(host.spawned.map((process) => [process.argv, process.options])).toEqual([[["tailscale", "--socket=/tmp/ts.sock", "status", "--json"], { env: ENV }]]);
    expect(entries).toEqual([{ level: "debug", component: "supervisor", msg: "running tailscale", fields: { argv: ["tailscale", "--socket=/tmp/ts.sock", "status", "--json"] } }]);
  });

  it.each([
    [{ kind: "exited", code: 3 } as const, 3],
    [{ kind: "killed", signal: 9 } as const, 137],
  ])("exits as tailscale did: %j → %i", async (exit, code) => {
    const { host, outcome } = start(["up"], undefined, { runMs: 5, exit });
    expect(await host.drive(outcome)).toEqual({ exitCode: code });
    expect(host.spawned[0]?.argv).toEqual(["tailscale", "up"]);
  });

  it.each([SIGNAL.HUP, SIGNAL.INT, SIGNAL.TERM, SIGNAL.USR1, SIGNAL.USR2])("passes signal %i on to tailscale", async (signal) => {
    const { host, outcome } = start(["up"], undefined, { onTerm: "ignore" });
    await host.settle();
    host.raise(signal);
    expect(host.spawned[0]?.signals).toEqual([signal]);
    host.processes.kill(host.spawned[0]?.pid ?? 0, SIGNAL.KILL);
    expect(await host.drive(outcome)).toEqual({ exitCode: 137 });
  });

  it("127 from tailscale is explained", async () => {
    const { host, entries, outcome } = start(["status"], undefined, { runMs: 0, exit: { kind: "exited", code: 127 } });
    expect(await host.drive(outcome)).toEqual({ exitCode: 127 });
    expect(entries.filter((entry) => entry.level === "error")).toEqual([{ level: "error", component: "supervisor", msg: "tailscale could not be run", fields: { exitCode: 127, fix: "check that tailscale is on PATH" } }]);
  });

  it("a tailscale that cannot be started: 127 and why", async () => {
    const host = createFakeHost();
    host.processes.spawn = () => fail("ENOENT", "No such file or directory");
    const { log, entries } = createCapturedLog();
    expect(await host.drive(runTailscaleCommand(host, ["status"], { socket: undefined, env: ENV }, log))).toEqual({ exitCode: 127 });
    expect(entries.filter((entry) => entry.level === "error")).toEqual([{ level: "error", component: "supervisor", msg: "cannot start tailscale", fields: { error: "No such file or directory", fix: "check that tailscale is on PATH" } }]);
  });
});
