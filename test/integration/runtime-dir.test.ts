// The real kernel: the iptables links live in the runtime directory (the first of
// /run, /dev/shm, /tmp on tmpfs), never at a fixed path that may be on flash.
import { describe, expect, it } from "vitest";
import { parseDoctorJson, runInNamespace } from "../lab/namespace.ts";

describe("the iptables link directory", () => {
  it("/run not on tmpfs, /dev/shm on tmpfs: links in /dev/shm/tailscale-supervisor/bin, nothing written under /run", async () => {
    const setup = 'mkdir -p "$WORK/flash-run" && mount --bind "$WORK/flash-run" /run && mount -t tmpfs none /dev/shm';
    const inspect = 'readlink /dev/shm/tailscale-supervisor/bin/iptables; stat -c %a /dev/shm/tailscale-supervisor; ls -A "$WORK/flash-run"';
    const { runs, inspections } = await runInNamespace({ setup, runs: [["doctor", "--fix", "--json"]], inspect });
    expect(runs[0]?.exitCode).toBe(0);
    expect(parseDoctorJson(runs[0]!).plan.env["PATH"]).toMatch(/^\/dev\/shm\/tailscale-supervisor\/bin:/);
    // iptables itself keeps its lock file in /run (xtables.lock): only the supervisor's own files matter here.
    expect(inspections[0]).toMatch(/^\/usr\/sbin\/iptables-(nft|legacy)\n700\n/);
    expect(inspections[0]).not.toMatch(/supervisor/);
  });
});
