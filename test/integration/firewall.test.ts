// Real kernel, Debian's iptables: backend choice, the iptables link dir, and netfilter decisions.
// nf_tables failing is SIMULATED: this kernel has nf_tables, so iptables-nft is replaced by a
// wrapper that fails exactly like RouterOS's kernel does (it has xtables but no nf_tables:
// "Could not fetch rule set generation id: Invalid argument").
import { describe, expect, it } from "vitest";
import { findCheck, parseDoctorJson, runInNamespace } from "../lab/namespace.ts";

const ROUTEROS_NFT_ERROR = 'echo "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Invalid argument" >&2; exit 4';
const BROKEN_NFT = { "iptables-nft": ROUTEROS_NFT_ERROR, "ip6tables-nft": ROUTEROS_NFT_ERROR };
const BROKEN_ALL = { ...BROKEN_NFT, "iptables-legacy": ROUTEROS_NFT_ERROR.replace("nf_tables", "legacy"), "ip6tables-legacy": ROUTEROS_NFT_ERROR.replace("nf_tables", "legacy") };
const LINKS = "readlink /run/tailscale-supervisor/bin/iptables /run/tailscale-supervisor/bin/ip6tables; PATH=/run/tailscale-supervisor/bin iptables --version";

describe("firewall backend, real kernel", () => {
  it("with nft failing (simulated) and legacy working, chooses legacy and says so in one log line", async () => {
    const { runs, inspections } = await runInNamespace({ fakeCommands: BROKEN_NFT, runs: [["doctor", "--fix", "--json"]], inspect: LINKS });
    const run = runs[0]!;
    expect(run.exitCode).toBe(0);
    const lines = run.stderr.split("\n").filter((line) => line.includes("firewall backend"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^INFO preflight: firewall backend chosen backend=legacy ipv6=true reason="only legacy works" probes=".*nft v4 fails \(iptables v1\.8\.9 \(nf_tables\): Could not fetch rule set generation id: Invalid argument\)/);
    const doc = parseDoctorJson(run);
    expect(doc.plan.env).toMatchObject({ TS_DEBUG_FIREWALL_MODE: "iptables", PATH: expect.stringMatching(/^\/run\/tailscale-supervisor\/bin:/) });
    expect(findCheck(doc, "firewall")).toMatchObject({ status: "ok", what: expect.stringContaining("iptables legacy (only legacy works)") });
    expect(inspections[0]).toMatch(/^\/usr\/sbin\/iptables-legacy\n\/usr\/sbin\/ip6tables-legacy\niptables v1\.8\.9 \(legacy\)\n$/);
  });

  it("with both backends working, chooses legacy, links to it and leaves no probe chain behind", async () => {
    const { runs, inspections } = await runInNamespace({ runs: [["doctor", "--fix", "--json"]], inspect: `${LINKS}; iptables-legacy -S; iptables-nft -S 2>/dev/null` });
    expect(runs[0]?.exitCode).toBe(0);
    expect(findCheck(parseDoctorJson(runs[0]!), "firewall").what).toContain("iptables legacy (both work; legacy is the default)");
    expect(inspections[0]).toContain("iptables v1.8.9 (legacy)");
    expect(inspections[0]).not.toContain("TS-SUPERVISOR-PROBE");
  });

  it("with both backends working, follows the one already holding rules", async () => {
    const { runs } = await runInNamespace({ setup: "iptables-nft -t nat -A POSTROUTING -j ACCEPT", runs: [["doctor", "--json"]] });
    expect(findCheck(parseDoctorJson(runs[0]!), "firewall").what).toContain("iptables nft (both work; nft already holds this netns's rules)");
  });

  it("with no backend working, plans netfilter off with a warning and still exits 0", async () => {
    const { runs } = await runInNamespace({ fakeCommands: BROKEN_ALL, runs: [["doctor", "--json"]] });
    expect(runs[0]?.exitCode).toBe(0);
    const doc = parseDoctorJson(runs[0]!);
    expect(doc.plan.netfilterMode).toBe("off");
    expect(doc.plan.env["TS_DEBUG_FIREWALL_MODE"]).toBeUndefined();
    expect(findCheck(doc, "firewall")).toMatchObject({ status: "warn", what: expect.stringContaining("netfilter off") });
    expect(runs[0]?.stderr).toMatch(/^WARN preflight: no firewall backend works /m);
  });

  it.each([
    [{ TS_NETFILTER_MODE: "on" }, "TS_NETFILTER_MODE"],
    [{ TS_EXTRA_ARGS: "--netfilter-mode=on" }, "--netfilter-mode in TS_EXTRA_ARGS"],
  ])("with no backend working and %j, fails instead of silently turning netfilter off", async (env, source) => {
    const { runs } = await runInNamespace({ fakeCommands: BROKEN_ALL, env, runs: [["doctor", "--json"]] });
    expect(runs[0]?.exitCode).toBe(1);
    const doc = parseDoctorJson(runs[0]!);
    expect(doc.canRun).toBe(false);
    expect(findCheck(doc, "firewall")).toMatchObject({ status: "fail", what: expect.stringContaining(`${source} asks for netfilter on`) });
  });
});
