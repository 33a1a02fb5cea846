import { describe, expect, it } from "vitest";
import { formatIPv6Groups, parseCidr, parseIpAddress } from "../../../src/core/net/cidr.ts";

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
    ["64:ff9b::192.168.1.0/120", "64:ff9b::c0a8:100/120"],
    ["::1.2.3.0/120", "::102:300/120"],
    ["1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128"],
    ["255.255.255.255/32", "255.255.255.255/32"],
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

  it.each([
    ["bogus", "it is not an IPv4 or IPv6 address"],
    ["192.168.88.0", "it has no prefix length (/N)"],
    ["192.168.88.0/33", "the prefix length 33 is more than 32"],
    ["192.168.088.0/24", "088 has a leading zero"],
    ["192.168.256.0/24", "256 is not a number from 0 to 255"],
    ["1.2.3/24", "an IPv4 address has four numbers separated by dots"],
    ["fe80::/129", "the prefix length 129 is more than 128"],
    ["fe80::1%eth0/64", "it has a zone (%eth0), which a route or gateway cannot have"],
    ["1.2.3.4/24/1", "the prefix length after / is not a number"],
    ["/24", "it is not an IPv4 or IPv6 address"],
    ["1.2.3.4/", "the prefix length after / is not a number"],
    ["1::2::3/64", "it has :: more than once"],
    ["1:2:3:4:5:6:7:8:9/64", "it is not a valid IPv6 address"],
    ["1:2:3/64", "it is not a valid IPv6 address"],
    ["12345::/16", "it is not a valid IPv6 address"],
    ["1.2.3.4::/64", "it is not a valid IPv6 address"],
    ["::1.2.3/120", "it is not a valid IPv6 address"],
    ["g::/16", "it is not a valid IPv6 address"],
  ])("%s is invalid: %s", (input, reason) => {
    expect(parseCidr(input)).toEqual({ kind: "invalid", reason });
  });

  it.each([
    ["::ffff:192.168.1.0/120", "192.168.1.0/24"],
    ["::ffff:1.2.3.4/128", "1.2.3.4/32"],
    ["::FFFF:c0a8:100/120", "192.168.1.0/24"],
    ["::ffff:0:0/96", "0.0.0.0/0"],
  ])("%s is IPv4-mapped: it stands for %s", (input, ipv4) => {
    expect(parseCidr(input)).toEqual({ kind: "ipv4-mapped", ipv4: expect.objectContaining({ family: 4, text: ipv4 }) });
  });
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

  it("prints the top bit without a spurious leading zero (no BigInt: qjs prints 2^127 in hex wrongly)", () => {
    expect(formatIPv6Groups([0x8000, 0, 0, 0, 0, 0, 0, 0])).toBe("8000::");
  });

  it("shortens the first of two equally long runs of zeros", () => {
    expect(formatIPv6Groups([0, 1, 0, 0, 2, 0, 0, 3])).toBe("0:1::2:0:0:3");
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
