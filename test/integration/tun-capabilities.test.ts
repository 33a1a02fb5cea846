// Real kernel: TUN hidden by a tmpfs over /dev/net, created by --fix, and capabilities dropped with setpriv.
import { describe, expect, it } from "vitest";
import { findCheck, parseDoctorJson, runInNamespace } from "../lab/namespace.ts";

const HIDE_TUN = "mount -t tmpfs none /dev/net";
const SHOW_TUN = "stat -c '%F %t:%T %a' /dev/net/tun 2>/dev/null || echo absent";

describe("TUN device, real kernel", () => {
  it("doctor reports /dev/net/tun missing and fixable, changes nothing, exits 0", async () => {
    const { runs, inspections } = await runInNamespace({ setup: HIDE_TUN, runs: [["doctor"], ["doctor", "--json"]], inspect: SHOW_TUN });
    expect(runs[0]?.exitCode).toBe(0);
    expect(runs[0]?.stdout).toMatch(/^WARN tun: \/dev\/net\/tun is missing; it can be created .* -- fix: `doctor --fix`/m);
    expect(runs[0]?.stdout).toContain("result: kernel TUN networking can work");
    const doc = parseDoctorJson(runs[1] ?? { exitCode: -1, stdout: "", stderr: "" });
    expect(doc).toMatchObject({ ok: true, changes: [], plan: { userspace: false } });
    expect(inspections).toEqual(["absent\n", "absent\n"]);
  });

  it("doctor --fix creates it as char 10:200, mode 600, and a second run changes nothing", async () => {
    const { runs, inspections } = await runInNamespace({ setup: HIDE_TUN, runs: [["doctor", "--fix", "--json"], ["doctor", "--fix", "--json"]], inspect: SHOW_TUN });
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0]);
    expect(inspections[0]).toBe("character special file a:c8 600\n");
    const [first, second] = runs.map(parseDoctorJson);
    expect(first?.changes).toContain("created /dev/net/tun (char 10:200, mode 600)");
    expect(findCheck(first!, "tun")).toMatchObject({ status: "ok" });
    expect(second?.changes).toEqual([]);
  });

  it("without CAP_MKNOD, doctor plans the userspace fallback and exits 1", async () => {
    const { runs, inspections } = await runInNamespace({ setup: HIDE_TUN, dropCaps: ["mknod"], runs: [["doctor", "--json"], ["doctor", "--fix"]], inspect: SHOW_TUN });
    expect(runs.map((run) => run.exitCode)).toEqual([1, 1]);
    const doc = parseDoctorJson(runs[0]!);
    expect(doc).toMatchObject({ ok: false, canRun: true, plan: { userspace: true } });
    expect(findCheck(doc, "mode")).toMatchObject({ status: "warn", what: expect.stringContaining("falling back to userspace networking") });
    expect(findCheck(doc, "capabilities").what).toContain("no CAP_MKNOD (breaks creating /dev/net/tun)");
    expect(runs[1]?.stdout).toMatch(/^not fixed: tun: .*Operation not permitted/m);
    expect(inspections[1]).toBe("absent\n");
  });

  it("without CAP_MKNOD and TS_USERSPACE=false, doctor fails with the fix for Docker and RouterOS", async () => {
    const { runs } = await runInNamespace({ setup: HIDE_TUN, dropCaps: ["mknod"], env: { TS_USERSPACE: "false" }, runs: [["doctor", "--json"]] });
    expect(runs[0]?.exitCode).toBe(1);
    const doc = parseDoctorJson(runs[0]!);
    expect(doc).toMatchObject({ canRun: false, plan: { userspace: false } });
    expect(findCheck(doc, "mode")).toMatchObject({ status: "fail", fix: expect.stringContaining("--device /dev/net/tun") });
    expect(findCheck(doc, "tun").fix).toContain("RouterOS: 7.21");
  });

  it("with NET_ADMIN dropped, names it and what it breaks, and falls back", async () => {
    const { runs } = await runInNamespace({ dropCaps: ["net_admin"], runs: [["doctor", "--json"]] });
    expect(runs[0]?.exitCode).toBe(1);
    const doc = parseDoctorJson(runs[0]!);
    expect(findCheck(doc, "capabilities")).toMatchObject({ status: "warn", what: expect.stringContaining("no CAP_NET_ADMIN (breaks the tailscale0 interface"), fix: expect.stringContaining("--cap-add NET_ADMIN") });
    expect(doc.plan.userspace).toBe(true);
  });

  it("with TS_USERSPACE=true and no TUN, doctor is content and exits 0", async () => {
    const { runs } = await runInNamespace({ setup: HIDE_TUN, env: { TS_USERSPACE: "true" }, runs: [["doctor", "--json"]] });
    expect(runs[0]?.exitCode).toBe(0);
    expect(parseDoctorJson(runs[0]!)).toMatchObject({ ok: true, plan: { userspace: true } });
  });
});
