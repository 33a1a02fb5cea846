// The committed bundle under the real qjs: HUP, USR1 and USR2 go to tailscaled
// alone (a helper child in its process group lives on); at a stop, what is left of the group still
// gets TERM, then KILL.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pollFor, startSupervisorInNamespace } from "../support/pid1.ts";

const isAlive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

describe("signals for tailscaled", () => {
  it("HUP, USR1 and USR2 reach tailscaled, not the helpers in its process group; TERM at the stop reaches them all", async () => {
    // Not PID 1: when the supervisor exits, nothing but its own doing has ended the helper.
    const run = startSupervisorInNamespace({ FAKE_TAILSCALED: "helper" }, { pid1: false });
    await run.waitFor(/tailscale is running/);
    const helper = await pollFor(() => (existsSync(`${run.dir}/helper.pid`) ? Number(readFileSync(`${run.dir}/helper.pid`, "utf8")) : undefined), 5000);
    for (const signal of ["SIGHUP", "SIGUSR1", "SIGUSR2"] as const) await run.signal(signal);
    await pollFor(() => (run.lines("tailscaled.signals").length >= 3 ? true : undefined), 5000, () => "tailscaled did not log the three signals");
    // Each once; the order is the kernel's and the shell's (signals pending together are not queued in the order sent).
    expect(run.lines("tailscaled.signals").map((line) => line.split(" ")[1]).sort()).toEqual(["HUP", "USR1", "USR2"]);
    expect(isAlive(helper)).toBe(true);
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    await pollFor(() => (isAlive(helper) ? undefined : true), 1000, () => `helper ${helper} still alive`);
    expect(run.lines("helper.signals")).toEqual(["TERM"]);
    expect(run.lines("tailscaled.signals").map((line) => line.split(" ")[1])).toEqual(["HUP", "USR1", "USR2", "TERM"]);
  }, 30_000);
});
