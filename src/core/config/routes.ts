// Advertised subnets: comma/space separated CIDRs, validated and printed in canonical form.
import { isDefaultRoute, parseCidr, parseIpAddress, type Cidr, type IpAddress } from "../net/cidr.ts";
import { accept, reject, type ValueParser, type ValueProblem } from "./value-parsers.ts";

/** Parses a route list; duplicates are dropped, every bad entry is reported. Empty means "none". */
export const parseRoutes: ValueParser<readonly Cidr[]> = (raw, name) => {
  const routes: Cidr[] = [];
  const problems: ValueProblem[] = [];
  for (const entry of raw.split(/[\s,]+/).filter((word) => word !== "")) {
    const parsed = parseCidr(entry);
    if (parsed.kind === "invalid") {
      problems.push({ problem: `${entry} is not an IPv4 or IPv6 prefix`, fix: `write subnets in CIDR form, e.g. ${name}=192.168.88.0/24` });
    } else if (parsed.kind === "host-bits") {
      problems.push({ problem: `${entry} has host bits set`, fix: `did you mean ${parsed.network.text}?` });
    } else if (isDefaultRoute(parsed.cidr)) {
      problems.push({
        problem: `${entry} is a default route, not a subnet`,
        fix: `remove it from ${name} and add --advertise-exit-node to TS_EXTRA_ARGS to offer this node as an exit node`,
      });
    } else if (!routes.some((route) => route.text === parsed.cidr.text)) {
      routes.push(parsed.cidr);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : accept(routes);
};

/** Parses one IP address (a next hop). */
export const parseGateway: ValueParser<IpAddress> = (raw, name) => {
  const address = parseIpAddress(raw.trim());
  if (address !== undefined) return accept(address);
  return reject("is not an IP address", `set ${name} to the container's gateway address, e.g. ${name}=172.17.0.1`);
};
