// Linking `iptables` (and ip6tables, -save, -restore) to the chosen backend in the runtime directory's bin.
import { describe, expect, it } from "vitest";
import { fail } from "../../../../src/core/host.ts";
import { linkFirewall, planFirewallLinks } from "../../../../src/core/preflight/firewall/link-backend.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const EXECUTABLE = { kind: "file", mode: 0o755 } as const;
const BIN = "/run/tailscale-supervisor/bin";

describe("planFirewallLinks", () => {
  it("links each command of the backend found on PATH, by its plain name", () => {
    const files = createFakeHost({
      files: {
        "/usr/sbin/iptables-legacy": EXECUTABLE,
        "/usr/sbin/iptables-legacy-save": EXECUTABLE,
        "/sbin/iptables-legacy-restore": EXECUTABLE,
        "/usr/sbin/ip6tables-legacy": EXECUTABLE,
        "/usr/sbin/iptables-nft": EXECUTABLE,
        "/usr/sbin/ip6tables-legacy-save": { kind: "file", mode: 0o644 },
      },
    }).files;
    expect(planFirewallLinks(files, "/usr/sbin:/sbin", "legacy")).toEqual([
      { name: "iptables", target: "/usr/sbin/iptables-legacy" },
      { name: "iptables-save", target: "/usr/sbin/iptables-legacy-save" },
      { name: "iptables-restore", target: "/sbin/iptables-legacy-restore" },
      { name: "ip6tables", target: "/usr/sbin/ip6tables-legacy" },
    ]);
    expect(planFirewallLinks(files, "/usr/sbin:/sbin", "nft")).toEqual([{ name: "iptables", target: "/usr/sbin/iptables-nft" }]);
    expect(planFirewallLinks(files, "/bin", "legacy")).toEqual([]);
  });
});

describe("linkFirewall", () => {
  const links = [
    { name: "iptables", target: "/usr/sbin/iptables-legacy" },
    { name: "ip6tables", target: "/usr/sbin/ip6tables-legacy" },
  ];

  it("makes the bin dir (and its parents) and the links", () => {
    const host = createFakeHost({ files: { "/run": { kind: "directory", mode: 0o755 } } });
    expect(linkFirewall(host.files, links, BIN)).toEqual({ ok: true, change: `linked iptables, ip6tables in ${BIN}` });
    expect(host.files.entries.get(BIN)).toEqual({ kind: "directory", mode: 0o755 });
    expect(host.files.entries.get(`${BIN}/iptables`)).toMatchObject({ kind: "symlink", target: "/usr/sbin/iptables-legacy" });
    expect(host.files.entries.get(`${BIN}/ip6tables`)).toMatchObject({ kind: "symlink", target: "/usr/sbin/ip6tables-legacy" });
    expect(host.files.entries.has(`${BIN}/iptables.new`)).toBe(false);
  });

  it("a second run changes nothing; a wrong link is replaced, a leftover temporary link too", () => {
    const host = createFakeHost();
    linkFirewall(host.files, links, BIN);
    expect(linkFirewall(host.files, links, BIN)).toBeUndefined();
    host.files.entries.set(`${BIN}/ip6tables`, { kind: "symlink", mode: 0o777, target: "/usr/sbin/ip6tables-nft" });
    host.files.entries.set(`${BIN}/ip6tables.new`, { kind: "symlink", mode: 0o777, target: "/stale" });
    expect(linkFirewall(host.files, links, BIN)).toEqual({ ok: true, change: `linked ip6tables in ${BIN}` });
    expect(host.files.entries.get(`${BIN}/ip6tables`)).toMatchObject({ target: "/usr/sbin/ip6tables-legacy" });
    expect(host.files.entries.has(`${BIN}/ip6tables.new`)).toBe(false);
  });

  it("no links: nothing to say (the dir is still made)", () => {
    const host = createFakeHost();
    expect(linkFirewall(host.files, [], BIN)).toBeUndefined();
    expect(host.files.entries.get(BIN)?.kind).toBe("directory");
  });

  it("a bin dir that cannot be made is the error", () => {
    const host = createFakeHost();
    host.files.mkdir = () => fail("EROFS", "Read-only file system");
    expect(linkFirewall(host.files, links, BIN)).toEqual({ ok: false, error: `mkdir ${BIN}: Read-only file system` });
  });

  it("a link that cannot be made stops at that link", () => {
    const host = createFakeHost();
    host.files.symlink = () => fail("EACCES", "Permission denied");
    expect(linkFirewall(host.files, links, BIN)).toEqual({ ok: false, error: `link ${BIN}/iptables: Permission denied` });
  });

  it("a link that cannot be renamed into place is the error too", () => {
    const host = createFakeHost();
    host.files.rename = () => fail("EBUSY", "Device or resource busy");
    expect(linkFirewall(host.files, links, BIN)).toEqual({ ok: false, error: `link ${BIN}/iptables: Device or resource busy` });
  });
});
