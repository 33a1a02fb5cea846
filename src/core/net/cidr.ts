// IP addresses and CIDR prefixes: parsing with the reason a text is refused, and canonical (RFC 5952) printing.
// Written here rather than with a library: ip-num took ~0.4 ms per IPv4 and ~0.7 ms per IPv6 prefix
// under qjs (10,000 routes: seconds), and formats IPv6 through BigInt, which qjs 2025-04-26 prints
// wrongly for values >= 2^127 (its BigInt toString(16) adds a leading "0" when the top bit of the
// most significant 64-bit limb is set: fd7a:115c:a1e0:: came out as 0:fd7a:...). Here: 16-bit
// groups, no BigInt.

/** A validated network prefix in canonical text form (`192.168.88.0/24`, `fd7a:115c:a1e0::/48`). */
export interface Cidr {
  readonly family: 4 | 6;
  readonly text: string;
  readonly prefixLength: number;
}

/** Why a prefix was refused; `network` is the prefix the user probably meant. */
export type CidrParse =
  | { readonly kind: "ok"; readonly cidr: Cidr }
  | { readonly kind: "host-bits"; readonly network: Cidr }
  /** `::ffff:a.b.c.d/n`: IPv4 written as IPv6; `ipv4` is the IPv4 subnet it stands for. */
  | { readonly kind: "ipv4-mapped"; readonly ipv4: Cidr }
  | { readonly kind: "invalid"; readonly reason: string };

/** A validated IP address in canonical text form. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly text: string;
}

/** An address as numbers: four 8-bit fields (IPv4) or eight 16-bit groups (IPv6). */
interface ParsedAddress {
  readonly family: 4 | 6;
  readonly fields: readonly number[];
}

type AddressParse = { readonly ok: true; readonly address: ParsedAddress } | { readonly ok: false; readonly reason: string };

const BITS_PER_FIELD = { 4: 8, 6: 16 } as const;
const MAX_PREFIX = { 4: 32, 6: 128 } as const;

// The common case, in one match: a.b.c.d/n.
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,3})$/;

/** Parses `a.b.c.d/n` or `x:y::/n`; reports set host bits with the network meant. A few microseconds under qjs. */
export function parseCidr(input: string): CidrParse {
  const ipv4 = input.includes(":") ? null : IPV4_CIDR.exec(input);
  if (ipv4 !== null) {
    const parsed = parseIPv4Match(input, ipv4);
    if (parsed !== undefined) return parsed;
  }
  const slash = input.indexOf("/");
  if (slash < 0) {
    const address = parseAddressFields(input);
    return { kind: "invalid", reason: address.ok ? "it has no prefix length (/N)" : address.reason };
  }
  const lengthText = input.slice(slash + 1);
  if (!isShortNumber(lengthText)) return { kind: "invalid", reason: "the prefix length after / is not a number" };
  const parsed = parseAddressFields(input.slice(0, slash));
  return parsed.ok ? toCidr(parsed.address.family, parsed.address.fields, Number(lengthText)) : { kind: "invalid", reason: parsed.reason };
}

/** One to three decimal digits (cheaper than a regex under qjs, where this runs per route). */
function isShortNumber(text: string): boolean {
  if (text.length === 0 || text.length > 3) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The fast path of a.b.c.d/n in 32-bit arithmetic; undefined for what the general path must explain. */
function parseIPv4Match(input: string, match: RegExpExecArray): CidrParse | undefined {
  let value = 0;
  for (let group = 1; group <= 4; group += 1) {
    const text = match[group] ?? "";
    const field = Number(text);
    if (field > 255 || (text.length > 1 && text.charCodeAt(0) === 48)) return undefined;
    value = value * 256 + field;
  }
  const lengthText = match[5] ?? "";
  const prefixLength = Number(lengthText);
  if (prefixLength > 32 || (lengthText.length > 1 && lengthText.charCodeAt(0) === 48)) return undefined;
  const network = prefixLength === 0 ? 0 : (value - (value % 2 ** (32 - prefixLength)));
  if (network === value) return { kind: "ok", cidr: { family: 4, text: input, prefixLength } };
  const fields = [network >>> 24, (network >>> 16) & 255, (network >>> 8) & 255, network & 255];
  return { kind: "host-bits", network: { family: 4, text: `${fields.join(".")}/${prefixLength}`, prefixLength } };
}

function toCidr(family: 4 | 6, fields: readonly number[], prefixLength: number): CidrParse {
  if (prefixLength > MAX_PREFIX[family]) return { kind: "invalid", reason: `the prefix length ${prefixLength} is more than ${MAX_PREFIX[family]}` };
  const network = maskFields(fields, BITS_PER_FIELD[family], prefixLength);
  const cidr: Cidr = { family, text: `${formatFields(family, network)}/${prefixLength}`, prefixLength };
  if (family === 6 && prefixLength >= 96 && isIPv4Mapped(network)) {
    const ipv4Fields = [network[6] ?? 0, network[7] ?? 0].flatMap((group) => [group >> 8, group & 0xff]);
    return { kind: "ipv4-mapped", ipv4: { family: 4, text: `${ipv4Fields.join(".")}/${prefixLength - 96}`, prefixLength: prefixLength - 96 } };
  }
  for (let index = 0; index < fields.length; index += 1) if (network[index] !== fields[index]) return { kind: "host-bits", network: cidr };
  return { kind: "ok", cidr };
}

/** Parses a single IPv4 or IPv6 address (no prefix, no zone). */
export function parseIpAddress(input: string): IpAddress | undefined {
  const parsed = parseAddressFields(input);
  return parsed.ok ? { family: parsed.address.family, text: formatFields(parsed.address.family, parsed.address.fields) } : undefined;
}

/** True for the default route of either family (`0.0.0.0/0`, `::/0`). */
export function isDefaultRoute(cidr: Cidr): boolean {
  return cidr.prefixLength === 0;
}

function parseAddressFields(text: string): AddressParse {
  if (text.includes("%")) return { ok: false, reason: `it has a zone (${text.slice(text.indexOf("%"))}), which a route or gateway cannot have` };
  if (text.includes(":")) return parseIPv6(text);
  if (/^[0-9.]+$/.test(text)) return parseIPv4(text);
  return { ok: false, reason: "it is not an IPv4 or IPv6 address" };
}

function parseIPv4(text: string): AddressParse {
  const parts = text.split(".");
  if (parts.length !== 4) return { ok: false, reason: "an IPv4 address has four numbers separated by dots" };
  const fields: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return { ok: false, reason: `${part === "" ? "an empty field" : part} is not a number from 0 to 255` };
    // Go's netip (and so tailscale) refuses these: 010 could be meant as octal.
    if (part.length > 1 && part.startsWith("0")) return { ok: false, reason: `${part} has a leading zero` };
    fields.push(Number(part));
  }
  return { ok: true, address: { family: 4, fields } };
}

const IPV6_GROUPS = 8;
const IPV6_CHARACTERS = /^[0-9A-Fa-f:.]+$/;

/** Eight 16-bit groups from `x:y::z` (one split; `::` once; an IPv4 address may end it). */
function parseIPv6(text: string): AddressParse {
  const invalid: AddressParse = { ok: false, reason: "it is not a valid IPv6 address" };
  if (!IPV6_CHARACTERS.test(text)) return invalid;
  const parts = text.split(":");
  let first = 0;
  let last = parts.length;
  // "::" at the start or the end leaves two empty parts; the inner one stands for the gap.
  if (parts[0] === "") {
    if (parts[1] !== "") return invalid;
    first = 1;
  }
  if (parts[last - 1] === "" && last - 1 > first) {
    if (parts[last - 2] !== "") return invalid;
    last -= 1;
  }
  const groups: number[] = [];
  let gap = -1;
  for (let index = first; index < last; index += 1) {
    const part = parts[index] ?? "";
    if (part === "") {
      if (gap >= 0) return { ok: false, reason: "it has :: more than once" };
      gap = groups.length;
    } else if (part.includes(".")) {
      const embedded = index === last - 1 ? parseIPv4(part) : invalid;
      if (!embedded.ok) return invalid;
      const [a = 0, b = 0, c = 0, d = 0] = embedded.address.fields;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (part.length <= 4) {
      groups.push(parseInt(part, 16));
    } else {
      return invalid;
    }
  }
  if (gap < 0) return groups.length === IPV6_GROUPS ? { ok: true, address: { family: 6, fields: groups } } : invalid;
  if (groups.length >= IPV6_GROUPS) return invalid;
  const fields: number[] = [];
  for (let index = 0; index < gap; index += 1) fields.push(groups[index] ?? 0);
  for (let index = groups.length; index < IPV6_GROUPS; index += 1) fields.push(0);
  for (let index = gap; index < groups.length; index += 1) fields.push(groups[index] ?? 0);
  return { ok: true, address: { family: 6, fields } };
}

function maskFields(fields: readonly number[], bitsPerField: number, prefixLength: number): number[] {
  const whole = Math.floor(prefixLength / bitsPerField);
  const partialMask = ((1 << bitsPerField) - 1) ^ ((1 << (bitsPerField - (prefixLength % bitsPerField))) - 1);
  const network: number[] = [];
  for (let index = 0; index < fields.length; index += 1) {
    const field = fields[index] ?? 0;
    network.push(index < whole ? field : index === whole ? field & partialMask : 0);
  }
  return network;
}

function isIPv4Mapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}

function formatFields(family: 4 | 6, fields: readonly number[]): string {
  return family === 4 ? fields.join(".") : formatIPv6Groups(fields);
}

/**
 * Prints a 128-bit address (eight 16-bit groups) per RFC 5952: lower case, no leading zeros, the
 * longest run (>= 2) of zero groups as `::` (the first of equally long runs).
 */
export function formatIPv6Groups(groups: readonly number[]): string {
  let bestStart = 0;
  let bestLength = 0;
  for (let index = 0, start = -1; index <= groups.length; index += 1) {
    if (index < groups.length && groups[index] === 0) {
      if (start < 0) start = index;
    } else if (start >= 0) {
      if (index - start > bestLength) [bestStart, bestLength] = [start, index - start];
      start = -1;
    }
  }
  if (bestLength < 2) bestLength = 0;
  let text = "";
  for (let index = 0; index < groups.length; index += 1) {
    if (bestLength > 0 && index === bestStart) {
      text += "::";
      index += bestLength - 1;
      continue;
    }
    if (text !== "" && !text.endsWith(":")) text += ":";
    text += (groups[index] ?? 0).toString(16);
  }
  return text;
}
