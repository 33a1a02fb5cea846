// IP addresses and CIDR prefixes: the one file that uses ip-num, plus canonical (RFC 5952) printing.
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator } from "ip-num";

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
  | { readonly kind: "invalid" };

/** A validated IP address in canonical text form. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly text: string;
}

/** Parses `a.b.c.d/n` or `x:y::/n`; reports set host bits with the network meant. */
export function parseCidr(input: string): CidrParse {
  const [address, length, ...rest] = input.split("/");
  if (address === undefined || length === undefined || rest.length > 0 || !/^\d{1,3}$/.test(length)) {
    return { kind: "invalid" };
  }
  if (isIPv4Text(address)) {
    if (!Validator.isValidIPv4CidrNotation(input)[0]) return { kind: "invalid" };
    const network = IPv4CidrRange.fromCidr(input).getFirst();
    const cidr: Cidr = { family: 4, text: `${network.toString()}/${Number(length)}`, prefixLength: Number(length) };
    return network.value === IPv4.fromString(address).value ? { kind: "ok", cidr } : { kind: "host-bits", network: cidr };
  }
  if (isIPv6Text(address)) {
    if (!Validator.isValidIPv6CidrNotation(input)[0]) return { kind: "invalid" };
    const first = IPv6CidrRange.fromCidr(input).getFirst().value;
    const cidr: Cidr = { family: 6, text: `${formatIPv6(first)}/${Number(length)}`, prefixLength: Number(length) };
    return first === IPv6.fromString(address).value ? { kind: "ok", cidr } : { kind: "host-bits", network: cidr };
  }
  return { kind: "invalid" };
}

/** Parses a single IPv4 or IPv6 address (no prefix, no zone). */
export function parseIpAddress(input: string): IpAddress | undefined {
  if (isIPv4Text(input) && Validator.isValidIPv4String(input)[0]) {
    return { family: 4, text: IPv4.fromString(input).toString() };
  }
  if (isIPv6Text(input) && Validator.isValidIPv6String(input)[0]) {
    return { family: 6, text: formatIPv6(IPv6.fromString(input).value) };
  }
  return undefined;
}

/** True for the default route of either family (`0.0.0.0/0`, `::/0`). */
export function isDefaultRoute(cidr: Cidr): boolean {
  return cidr.prefixLength === 0;
}

function isIPv4Text(text: string): boolean {
  return /^[0-9.]+$/.test(text);
}

function isIPv6Text(text: string): boolean {
  // Zone ids (`%eth0`) and embedded IPv4 (`::ffff:1.2.3.4`) are not valid in advertised routes.
  return /^[0-9a-fA-F:]+$/.test(text) && text.includes(":");
}

const HEXTETS = 8;

/**
 * Prints a 128-bit address per RFC 5952: lower case, no leading zeros, the longest run (>= 2) of
 * zero groups as `::`. Built from 16-bit numbers because ip-num's own printing goes through
 * `BigInt.prototype.toString(16)`, which QuickJS 2025-04-26 gets wrong for values >= 2^127
 * (a spurious leading "0"; see ../shared/facts/quickjs.md).
 */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let index = 0; index < HEXTETS; index += 1) {
    groups.push(Number((value >> BigInt(16 * (HEXTETS - 1 - index))) & 0xffffn));
  }
  const run = findLongestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (run.length < 2) return hex.join(":");
  const head = hex.slice(0, run.start).join(":");
  const tail = hex.slice(run.start + run.length).join(":");
  return `${head}::${tail}`;
}

function findLongestZeroRun(groups: readonly number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  for (let index = 0; index <= groups.length; index += 1) {
    if (index < groups.length && groups[index] === 0) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0 && index - start > best.length) best = { start, length: index - start };
    start = -1;
  }
  return best;
}
