import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { REAP_TICK_MS, startReaper } from "../../../src/core/process/reaper.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

describe("startReaper", () => {
  it("hands each status to the child that owns it, orphans are dropped", async () => {
    const host = createFakeHost({ script: (argv) => ({ runMs: 10, exit: { kind: "exited", code: Number(argv[1]) } }) });
    const reaper = startReaper(host);
    const first = reaper.spawn(["x", "3"], {});
    const second = reaper.spawn(["x", "5"], {});
    host.processes.spawn(["orphan", "9"], {});
    if (!first.ok || !second.ok) throw new Error("spawn failed");
    host.advance(10);
    await expect(first.value.exited).resolves.toEqual({ kind: "exited", code: 3 });
    await expect(second.value.exited).resolves.toEqual({ kind: "exited", code: 5 });
    expect(host.processes.reapOne()).toBeNull();
    reaper.stop();
  });

  it("reaps every child that exited behind one SIGCHLD at once, not one per wake-up", async () => {
    const host = createFakeHost({ script: () => ({ runMs: 10, exit: { kind: "exited", code: 0 } }) });
    const reaper = startReaper(host);
    const statuses: unknown[] = [];
    for (let index = 0; index < 3; index += 1) {
      const child = reaper.spawn(["x"], {});
      if (!child.ok) throw new Error("spawn failed");
      void child.value.exited.then((status) => statuses.push(status));
    }
    let signalled = 0;
    host.signals.on(SIGNAL.CHLD, () => (signalled += 1));
    host.advance(10);
    await host.settle();
    // The three exits raised one SIGCHLD (pending once, as in the kernel), long before the tick.
    expect(signalled).toBe(1);
    expect(host.elapsed()).toBeLessThan(REAP_TICK_MS);
    expect(statuses).toHaveLength(3);
    reaper.stop();
  });

  it("reaps on the tick even when SIGCHLD is lost", async () => {
    const host = createFakeHost({ script: () => ({}) });
    const reaper = startReaper(host);
    const child = reaper.spawn(["x"], {});
    if (!child.ok) throw new Error("spawn failed");
    let status: unknown;
    void child.value.exited.then((value) => (status = value));
    // Exit without a SIGCHLD: only the tick can notice.
    (host.processes as { reapOne: () => unknown }).reapOne = (() => {
      let given = false;
      return () => (given ? null : ((given = true), { pid: child.value.pid, status: { kind: "exited", code: 0 } }));
    })();
    host.advance(REAP_TICK_MS);
    await host.settle();
    expect(status).toEqual({ kind: "exited", code: 0 });
    reaper.stop();
  });

  it("installs a SIGCHLD handler", () => {
    const host = createFakeHost();
    let installed = 0;
    const on = host.signals.on;
    host.signals.on = (signal, handler) => {
      if (signal === SIGNAL.CHLD) installed += 1;
      on(signal, handler);
    };
    startReaper(host).stop();
    expect(installed).toBe(1);
  });
});
