import { describe, expect, it } from "vitest";
import { formatIPv6, parseCidr, parseIpAddress } from "../../../src/core/net/cidr.ts";

describe("parseCidr", () => {
  it.each([
    ["192.168.88.0/24", "192.168.88.0/24"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["fd7a:115c:a1e0::/48", "fd7a:115c:a1e0::/48"],
    ["fd7a:115c:a1e0:0:0:0:0:0/48", "fd7a:115c:a1e0::/48"],
    ["FD00::/8", "fd00::/8"],
    ["fe80::/10", "fe80::/10"],
    ["ff00::/8", "ff00::/8"],
    ["2001:0db8::/32", "2001:db8::/32"],
    ["::/0", "::/0"],
  ])("%s is the network %s", (input, text) => {
    expect(parseCidr(input)).toMatchObject({ kind: "ok", cidr: { text } });
  });

  it.each([
    ["192.168.88.1/24", "192.168.88.0/24"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["fd7a:115c:a1e0::1/48", "fd7a:115c:a1e0::/48"],
    ["2001:db8::1/32", "2001:db8::/32"],
  ])("%s has host bits; the network is %s", (input, network) => {
    expect(parseCidr(input)).toEqual({ kind: "host-bits", network: expect.objectContaining({ text: network }) });
  });

  it.each(["bogus", "192.168.88.0", "192.168.88.0/33", "192.168.088.0/24", "1.2.3/24", "fe80::/129", "fe80::1%eth0/64", "::ffff:1.2.3.4/128", "1.2.3.4/24/1", "/24", "1.2.3.4/"])(
    "%s is invalid",
    (input) => {
      expect(parseCidr(input)).toEqual({ kind: "invalid" });
    },
  );
});

describe("formatIPv6 (RFC 5952)", () => {
  it.each([
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["::", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    ["8000::", "8000::"],
  ])("%s prints as %s", (input, expected) => {
    expect(parseIpAddress(input)?.text).toBe(expected);
  });

  it("prints the top bit without a spurious leading zero", () => {
    expect(formatIPv6(2n ** 127n)).toBe("8000::");
  });
});

describe("parseIpAddress", () => {
  it.each([["172.17.0.1", "172.17.0.1"], ["fd00::0:1", "fd00::1"]])("%s → %s", (input, text) => {
    expect(parseIpAddress(input)?.text).toBe(text);
  });
  it.each(["172.17.0", "172.17.0.256", "x", "", "fe80::1%eth0"])("%s is not an address", (input) => {
    expect(parseIpAddress(input)).toBeUndefined();
  });
});
