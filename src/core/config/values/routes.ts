// Advertised subnets: comma/space separated CIDRs, validated and printed in canonical form.
import { isDefaultRoute, parseCidr, parseIpAddress, type Cidr, type CidrParse, type IpAddress } from "../../net/cidr.ts";
import { clipText } from "../../text/clip.ts";
import { accept, reject, type ValueParser, type ValueProblem } from "./value-parsers.ts";

// An entry is quoted in a message up to this length (a route is at most ~43 characters).
const MAX_ENTRY_SHOWN = 60;
// Problems reported one by one; the rest are counted (10,000 bad entries make one more line, not 9,990).
const MAX_PROBLEMS = 8;

/** Parses a route list; duplicates are dropped, every bad entry is reported. Empty means "none". */
export const parseRoutes: ValueParser<readonly Cidr[]> = (raw, name) => {
  const routes: Cidr[] = [];
  const seen = new Set<string>();
  const problems: ValueProblem[] = [];
  let unreported = 0;
  for (const entry of raw.split(/[\s,]+/)) {
    if (entry === "") continue;
    const parsed = parseCidr(entry);
    if (parsed.kind !== "ok" || isDefaultRoute(parsed.cidr)) {
      if (problems.length < MAX_PROBLEMS) problems.push(findRouteProblem(entry, parsed, name));
      else unreported += 1;
    } else if (parsed.kind === "ok" && !seen.has(parsed.cidr.text)) {
      seen.add(parsed.cidr.text);
      routes.push(parsed.cidr);
    }
  }
  if (unreported > 0) problems.push({ problem: `${unreported} more entries are not valid subnets either`, fix: `check every entry of ${name}` });
  return problems.length > 0 ? { ok: false, problems } : accept(routes);
};

function findRouteProblem(entry: string, parsed: CidrParse, name: string): ValueProblem {
  const shown = clipText(entry, MAX_ENTRY_SHOWN);
  switch (parsed.kind) {
    case "invalid":
      return { problem: `${shown} is not an IPv4 or IPv6 prefix: ${parsed.reason}`, fix: `write subnets in CIDR form, e.g. ${name}=192.168.88.0/24` };
    case "host-bits":
      return { problem: `${shown} has host bits set`, fix: `did you mean ${parsed.network.text}?` };
    case "ipv4-mapped":
      return {
        problem: `${shown} is an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d), which no packet on the tailnet carries`,
        fix: parsed.ipv4.prefixLength === 0 ? `remove it; to offer this node as an exit node, add --advertise-exit-node to TS_EXTRA_ARGS` : `write the IPv4 subnet: did you mean ${parsed.ipv4.text}?`,
      };
    case "ok":
      return {
        problem: `${shown} is a default route, not a subnet`,
        fix: `remove it from ${name} and add --advertise-exit-node to TS_EXTRA_ARGS to offer this node as an exit node`,
      };
  }
}

/** Parses one IP address (a next hop). */
export const parseGateway: ValueParser<IpAddress> = (raw, name) => {
  const address = parseIpAddress(raw.trim());
  if (address !== undefined) return accept(address);
  return reject("is not an IP address", `set ${name} to the container's gateway address, e.g. ${name}=172.17.0.1`);
};
