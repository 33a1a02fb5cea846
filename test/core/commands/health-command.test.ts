// `health` on the fake host: exit 0 only while the recorded state is Running and the supervisor that
// recorded it is alive; every other case exits 1 and says why on stderr.
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/core/run.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import type { FakeEntry } from "../../fakes/fake-files.ts";

const MOUNTINFO = "1 0 8:1 / / rw - ext4 /dev/root rw\n22 1 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n";
const STATUS = "/run/tailscale-supervisor/status.json";
const SUPERVISOR_ALIVE = { "/proc/1": { kind: "directory", mode: 0o555 } as Partial<FakeEntry> };

async function health(files: Record<string, string | Partial<FakeEntry>>) {
  const host = createFakeHost({ argv: ["health"], files: { "/proc/self/mountinfo": MOUNTINFO, "/run": { kind: "directory", mode: 0o755 }, ...files } });
  const outcome = await host.drive(runCli(host));
  return { exitCode: outcome.exitCode, stderr: host.stderr(), stdout: host.stdout(), spawned: host.spawned.length };
}

const status = (state: string) => JSON.stringify({ supervisorPid: 1, state, sinceMs: 1_700_000_000_000 });

describe("health", () => {
  it("Running, supervisor alive: exit 0, quietly, without running anything", async () => {
    expect(await health({ [STATUS]: status("Running"), ...SUPERVISOR_ALIVE })).toEqual({ exitCode: 0, stderr: "", stdout: "", spawned: 0 });
  });

  it.each(["NoState", "NeedsLogin", "NeedsMachineAuth", "Starting", "Stopped", "Failed"])("%s: exit 1 with the state", async (state) => {
    const result = await health({ [STATUS]: status(state), ...SUPERVISOR_ALIVE });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`WARN health: unhealthy state=${state} since=2023-11-14T22:13:20.000Z\n`);
    expect(result.spawned).toBe(0);
  });

  it("Running recorded by a supervisor that is gone: exit 1", async () => {
    const result = await health({ [STATUS]: status("Running") });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('WARN health: unhealthy state="supervisor gone"');
  });

  it.each([
    ["no recorded state", {}],
    ["an unreadable one", { [STATUS]: "{not json" }],
    ["one without a pid", { [STATUS]: JSON.stringify({ state: "Running", sinceMs: 1 }) }],
  ])("%s: exit 1", async (_name, files) => {
    const result = await health({ ...files, ...SUPERVISOR_ALIVE });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("WARN health: unhealthy: no recorded state dir=/run/tailscale-supervisor");
  });
});
