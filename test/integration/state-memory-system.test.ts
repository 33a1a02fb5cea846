// Real kernel: state dir persistence (tmpfs vs its own mount), memory limit → GOMEMLIMIT, the first log line.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { findCheck, parseDoctorJson, runInNamespace } from "../lab/namespace.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

describe("state dir, real mounts", () => {
  it("on tmpfs: warns that the node identity will be lost, with the RouterOS mount command", async () => {
    // /run is a fresh tmpfs in every scenario.
    const tmpfs = await runInNamespace({ setup: "mkdir -p /run/state-on-tmpfs", env: { TS_STATE_DIR: "/run/state-on-tmpfs" }, runs: [["doctor", "--json"]] });
    const check = findCheck(parseDoctorJson(tmpfs.runs[0]!), "state-persistence");
    expect(check).toMatchObject({ status: "warn", what: "/run/state-on-tmpfs is on tmpfs: node identity will be lost on re-create/reboot" });
    expect(check.fix).toContain("/container/mounts/add list=ts_state src=tailscale/state dst=/run/state-on-tmpfs");
  });

  it("on its own mount: ok, and existing node state is told apart from a first login", async () => {
    const { runs } = await runInNamespace({ runs: [["doctor", "--json"], ["doctor", "--json"]], inspect: 'echo "{}" >"$WORK/state/tailscaled.state"' });
    const [first, second] = runs.map(parseDoctorJson);
    expect(findCheck(first!, "state-persistence")).toMatchObject({ status: "ok", what: expect.stringContaining("is on its own mount (ext4") });
    expect(findCheck(first!, "state-dir").what).toContain("first login");
    expect(findCheck(second!, "state-dir").what).toContain("existing node state");
  });
});

describe("memory and system facts", () => {
  it("plans GOMEMLIMIT below a cgroup v2 memory.max (limit file SIMULATED on a tmpfs: this machine's cgroups are not ours)", async () => {
    const setup = 'mount -t tmpfs none /sys/fs/cgroup && echo 268435456 >/sys/fs/cgroup/memory.max';
    const { runs } = await runInNamespace({ setup, runs: [["doctor", "--json"]] });
    const doc = parseDoctorJson(runs[0]!);
    expect(doc.plan.env["GOMEMLIMIT"]).toBe("192MiB");
    expect(findCheck(doc, "memory").what).toMatch(/^cgroup limit 256 MiB; RAM \d+ MiB, available \d+ MiB; tailscaled gets GOMEMLIMIT=192MiB$/);
  });

  it("leaves a user's GOMEMLIMIT alone", async () => {
    const setup = 'mount -t tmpfs none /sys/fs/cgroup && echo 268435456 >/sys/fs/cgroup/memory.max';
    const { runs } = await runInNamespace({ setup, env: { GOMEMLIMIT: "100MiB" }, runs: [["doctor", "--json"]] });
    expect(parseDoctorJson(runs[0]!).plan.env["GOMEMLIMIT"]).toBeUndefined();
  });

  it("logs version, arch, kernel and PID 1 on the first line, as PID 1 of a new pid namespace", async () => {
    const run = await execa("unshare", ["--net", "--mount", "--pid", "--fork", "--mount-proc", "--kill-child", findQjs(), BUNDLE, "doctor"], { env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", TS_STATE_DIR: "/nonexistent/state" }, extendEnv: false, reject: false, timeout: 60_000 });
    const [uname, kernel] = [(await execa("uname", ["-m"])).stdout, (await execa("uname", ["-r"])).stdout];
    expect(run.stderr.split("\n")[0]).toBe(`INFO preflight: system version=0.1.0 arch=${uname} kernel=${kernel} pid1=true`);
  });
});
