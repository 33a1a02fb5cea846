// Kernel TUN or userspace networking: the TUN, capability and mode checks, and the fallback TS_USERSPACE=auto allows.
import { describe, expect, it } from "vitest";
import { decideNetworking, type NetworkingInputs } from "../../../../src/core/preflight/networking/networking-mode.ts";
import { FIXED_AT_START } from "../../../../src/core/preflight/preflight-check.ts";

const ALL_CAPS = { kind: "known", effective: ["NET_ADMIN", "NET_RAW", "MKNOD"] } as const;
const BASE: NetworkingInputs = { userspace: "auto", tun: { kind: "usable" }, capabilities: ALL_CAPS, devReadOnly: false, tunError: undefined };
const TUN_FIX = "Docker: --device /dev/net/tun --cap-add NET_ADMIN; RouterOS: 7.21 or later exposes /dev/net/tun in every container (upgrade)";
const CAPS_FIX = "Docker: --cap-add NET_ADMIN --cap-add NET_RAW (and MKNOD when /dev/net/tun is missing); RouterOS 7.24+: privileged=yes";
const FALLBACK = "falling back to userspace networking (no tailscale0; subnet routes and exit node through tailscaled's netstack)";
const NO_NET_ADMIN = "no CAP_NET_ADMIN (breaks the tailscale0 interface, routes, firewall rules and sysctls)";
const NO_NET_RAW = "no CAP_NET_RAW (breaks iptables-legacy (it opens a raw socket) and tailscaled's raw sockets)";
const NO_MKNOD = "no CAP_MKNOD (breaks creating /dev/net/tun)";

const decide = (inputs: Partial<NetworkingInputs>) => decideNetworking({ ...BASE, ...inputs });
const checkOf = (inputs: Partial<NetworkingInputs>, id: string) => decide(inputs).checks.find((check) => check.id === id);
const modeOf = (inputs: Partial<NetworkingInputs>) => {
  const decision = decide(inputs);
  return [decision.userspace, decision.checks.find((check) => check.id === "mode")?.status];
};

describe("decideNetworking: the mode", () => {
  it.each<[string, Partial<NetworkingInputs>, boolean, string]>([
    ["TUN usable", {}, false, "ok"],
    ["TUN missing but creatable", { tun: { kind: "missing" } }, false, "ok"],
    ["TUN missing, no MKNOD, auto", { tun: { kind: "missing" }, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } }, true, "warn"],
    ["TUN missing, /dev read-only", { tun: { kind: "missing" }, devReadOnly: true }, true, "warn"],
    ["TUN missing, mknod failed", { tun: { kind: "missing" }, tunError: "EPERM" }, true, "warn"],
    ["TUN denied by the device cgroup", { tun: { kind: "unopenable", error: "EPERM" } }, true, "warn"],
    ["not the TUN device", { tun: { kind: "not-a-tun", detail: "file 0:0" } }, true, "warn"],
    ["no NET_ADMIN, auto", { capabilities: { kind: "known", effective: ["NET_RAW"] } }, true, "warn"],
    ["no NET_RAW only: kernel mode still (iptables-legacy suffers, the firewall check tells)", { capabilities: { kind: "known", effective: ["NET_ADMIN"] } }, false, "ok"],
    ["no NET_RAW only, TUN missing: it can still be created", { tun: { kind: "missing" }, capabilities: { kind: "known", effective: ["NET_ADMIN", "MKNOD"] } }, false, "ok"],
    ["capabilities unreadable: kernel mode", { capabilities: { kind: "unknown", error: "EACCES" } }, false, "ok"],
    ["no NET_ADMIN, TS_USERSPACE=false", { userspace: "false", capabilities: { kind: "known", effective: [] } }, false, "fail"],
    ["TUN missing, /dev read-only, TS_USERSPACE=false", { userspace: "false", tun: { kind: "missing" }, devReadOnly: true }, false, "fail"],
    ["all there, TS_USERSPACE=false", { userspace: "false" }, false, "ok"],
    ["TS_USERSPACE=true, no TUN", { userspace: "true", tun: { kind: "missing" } }, true, "ok"],
    ["TS_USERSPACE=true, all there", { userspace: "true" }, true, "ok"],
  ])("%s → userspace %s, mode %s", (_, inputs, userspace, status) => {
    expect(modeOf(inputs)).toEqual([userspace, status]);
  });

  it("kernelWanted: unless TS_USERSPACE=true", () => {
    expect([decide({}).kernelWanted, decide({ userspace: "false" }).kernelWanted, decide({ userspace: "true" }).kernelWanted]).toEqual([true, true, false]);
    expect(decide({ capabilities: { kind: "known", effective: [] } }).kernelWanted).toBe(true);
  });
});

describe("decideNetworking: every check", () => {
  it("all there: tun, capabilities and mode ok, in that order", () => {
    expect(decide({}).checks).toEqual([
      { id: "tun", status: "ok", what: "/dev/net/tun is usable (char 10:200)" },
      { id: "capabilities", status: "ok", what: "NET_ADMIN and NET_RAW are effective" },
      { id: "mode", status: "ok", what: "kernel TUN networking (tailscale0)" },
    ]);
  });

  it("a missing node that can be created is fixed at start", () => {
    expect(decide({ tun: { kind: "missing" } }).checks).toEqual([
      { id: "tun", status: "warn", what: "/dev/net/tun is missing; it can be created (mknod c 10 200, mode 600)", fix: FIXED_AT_START },
      { id: "capabilities", status: "ok", what: "NET_ADMIN and NET_RAW are effective" },
      { id: "mode", status: "ok", what: "kernel TUN networking (tailscale0)" },
    ]);
  });

  it("TS_USERSPACE=true: nothing of kernel mode matters, every check is ok but still says what it found", () => {
    expect(decide({ userspace: "true", tun: { kind: "missing" }, capabilities: { kind: "known", effective: [] } }).checks).toEqual([
      { id: "tun", status: "ok", what: "/dev/net/tun is missing and cannot be created without CAP_MKNOD", fix: TUN_FIX },
      { id: "capabilities", status: "ok", what: `${NO_NET_ADMIN}; ${NO_NET_RAW}; ${NO_MKNOD}`, fix: CAPS_FIX },
      { id: "mode", status: "ok", what: "userspace networking (TS_USERSPACE=true)" },
    ]);
    expect(checkOf({ userspace: "true", tun: { kind: "missing" } }, "tun")).toEqual({ id: "tun", status: "ok", what: "/dev/net/tun is missing; not needed in userspace networking" });
  });

  it("no NET_ADMIN with auto: warned, and the fallback says why", () => {
    expect(decide({ capabilities: { kind: "known", effective: ["NET_RAW"] } }).checks).toEqual([
      { id: "tun", status: "ok", what: "/dev/net/tun is usable (char 10:200)" },
      { id: "capabilities", status: "warn", what: NO_NET_ADMIN, fix: CAPS_FIX },
      { id: "mode", status: "warn", what: `kernel TUN networking is impossible (no CAP_NET_ADMIN): ${FALLBACK}`, fix: TUN_FIX },
    ]);
  });

  it("TS_USERSPACE=false with no capabilities and no node: every check fails, with both reasons", () => {
    expect(decide({ userspace: "false", tun: { kind: "missing" }, capabilities: { kind: "known", effective: ["NET_RAW"] } }).checks).toEqual([
      { id: "tun", status: "fail", what: "/dev/net/tun is missing and cannot be created without CAP_MKNOD", fix: TUN_FIX },
      { id: "capabilities", status: "fail", what: `${NO_NET_ADMIN}; ${NO_MKNOD}`, fix: CAPS_FIX },
      { id: "mode", status: "fail", what: "kernel TUN networking is impossible (no CAP_NET_ADMIN, /dev/net/tun is missing and cannot be created without CAP_MKNOD) and TS_USERSPACE=false", fix: `${TUN_FIX}; or set TS_USERSPACE=auto` },
    ]);
  });

  it("capabilities that cannot be read are warned about, without a fix", () => {
    expect(checkOf({ capabilities: { kind: "unknown", error: "EACCES" } }, "capabilities")).toEqual({ id: "capabilities", status: "warn", what: "cannot read capabilities: EACCES" });
  });

  it("NET_RAW missing alone is warned about, not a reason to fall back", () => {
    expect(checkOf({ capabilities: { kind: "known", effective: ["NET_ADMIN", "MKNOD"] } }, "capabilities")).toEqual({ id: "capabilities", status: "warn", what: NO_NET_RAW, fix: CAPS_FIX });
  });
});

describe("decideNetworking: why there is no TUN device", () => {
  it.each<[string, Partial<NetworkingInputs>, string]>([
    ["not the TUN device", { tun: { kind: "not-a-tun", detail: "file 0:0" } }, "/dev/net/tun is not the TUN device (file 0:0)"],
    ["creating it failed", { tun: { kind: "missing" }, tunError: "EPERM" }, "/dev/net/tun is missing and creating it failed (EPERM)"],
    ["no MKNOD", { tun: { kind: "missing" }, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } }, "/dev/net/tun is missing and cannot be created without CAP_MKNOD"],
    ["/dev read-only", { tun: { kind: "missing" }, devReadOnly: true }, "/dev/net/tun is missing and /dev is read-only"],
    // The first cause wins: a failed creation over a missing MKNOD over a read-only /dev.
    ["failed creation before MKNOD", { tun: { kind: "missing" }, tunError: "EROFS", capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } }, "/dev/net/tun is missing and creating it failed (EROFS)"],
    ["MKNOD before read-only", { tun: { kind: "missing" }, devReadOnly: true, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } }, "/dev/net/tun is missing and cannot be created without CAP_MKNOD"],
  ])("%s", (_, inputs, what) => {
    expect(checkOf(inputs, "tun")).toEqual({ id: "tun", status: "warn", what, fix: TUN_FIX });
    expect(checkOf(inputs, "mode")).toEqual({ id: "mode", status: "warn", what: `kernel TUN networking is impossible (${what}): ${FALLBACK}`, fix: TUN_FIX });
  });

  it("a usable node is not spoiled by a read-only /dev or a missing MKNOD", () => {
    expect(modeOf({ devReadOnly: true, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } })).toEqual([false, "ok"]);
  });

  it.each([
    ["EACCES on a nodev mount", { kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES", noDevMount: "/dev" } as const, "/dev/net/tun cannot be opened (EACCES: Permission denied): it is on /dev, mounted nodev, where device nodes do not work", "give the container the host's device instead of a node on a nodev mount (Docker: --device /dev/net/tun), or mount /dev without nodev"],
    ["EPERM: the device cgroup", { kind: "unopenable", error: "EPERM: Operation not permitted", code: "EPERM" } as const, "/dev/net/tun cannot be opened (EPERM: Operation not permitted): the device cgroup denies it", TUN_FIX],
    ["EACCES elsewhere: no guess", { kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES" } as const, "/dev/net/tun cannot be opened (EACCES: Permission denied)", TUN_FIX],
    ["a node stat cannot see", { kind: "unopenable", error: "Permission denied", code: "EACCES" } as const, "/dev/net/tun cannot be opened (Permission denied)", TUN_FIX],
  ])("a TUN node that does not open: %s", (_name, tun, what, fix) => {
    expect(checkOf({ tun }, "tun")).toEqual({ id: "tun", status: "warn", what, fix });
    // The mode check carries the same fix.
    expect(checkOf({ tun }, "mode")).toEqual({ id: "mode", status: "warn", what: `kernel TUN networking is impossible (${what}): ${FALLBACK}`, fix });
  });
});
