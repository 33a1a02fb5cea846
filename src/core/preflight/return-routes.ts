// Return routes: each advertised subnet via the container gateway, which must be on a connected subnet; probed, checked, installed.
import type { Config } from "../config/config.ts";
import type { Cidr, IpAddress } from "../net/cidr.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { isSuccess } from "../process/exit-status.ts";
import { FIXED_AT_START, createCheck, findFixError, type AppliedFix, type FixOutcome, type PreflightCheck } from "./preflight-check.ts";
import { returnRouteCommand } from "../routeros/container-commands.ts";

/** How the gateway is reached: directly (with our source address), or not (with what `ip route get` said), or unknown (`ip` did not run to its end). */
export type GatewayReach =
  | { readonly kind: "connected"; readonly source: string | undefined }
  | { readonly kind: "not-connected"; readonly detail: string }
  | { readonly kind: "unknown"; readonly error: string };

/** The gateway, whether it is connected, and each subnet of its family with whether its route is in place. */
export interface ReturnRouteFacts {
  readonly gateway: IpAddress;
  readonly reach: GatewayReach;
  readonly routes: readonly { readonly cidr: Cidr; readonly present: boolean }[];
  /** Subnets of the other family: no gateway for them. */
  readonly otherFamily: readonly Cidr[];
}

/** Undefined when no subnets are advertised or no gateway is set: then there is nothing to route. */
export async function probeReturnRoutes(commands: CommandRunner, config: Pick<Config, "routes" | "containerGateway">): Promise<ReturnRouteFacts | undefined> {
  const gateway = config.containerGateway;
  const subnets = config.routes ?? [];
  if (gateway === undefined || subnets.length === 0) return undefined;
  // One listing of the main table for every subnet, beside the gateway's route: two `ip` runs at
  // once whatever the number of subnets (one each, one after the other, cost ~5 ms a route).
  const [listed, reach] = await Promise.all([runIp(commands, [`-${gateway.family}`, "route", "show"], ROUTE_LISTING_BYTES), probeGatewayReach(commands, gateway)]);
  const via = listed.ok ? listRoutesVia(listed.output, gateway) : new Set<string>();
  const routes = subnets.filter((subnet) => subnet.family === gateway.family).map((cidr) => ({ cidr, present: via.has(cidr.text) }));
  return { gateway, reach, routes, otherFamily: subnets.filter((subnet) => subnet.family !== gateway.family) };
}

/** Enough for ~100,000 routes in the listing; a longer one is cut, and the routes past the cut are replaced again (idempotent). */
const ROUTE_LISTING_BYTES = 8 * 1024 * 1024;

/** The prefixes `ip route show` lists via `gateway` (host routes, which `ip` prints without /32 or /128, with it). */
export function listRoutesVia(output: string, gateway: IpAddress): Set<string> {
  const hostLength = gateway.family === 4 ? 32 : 128;
  const prefixes = new Set<string>();
  for (const line of output.split("\n")) {
    const words = line.trim().split(/\s+/);
    const via = words.indexOf("via");
    const prefix = words[0];
    if (prefix === undefined || prefix === "" || via < 0 || words[via + 1] !== gateway.text) continue;
    prefixes.add(prefix.includes("/") ? prefix : `${prefix}/${hostLength}`);
  }
  return prefixes;
}

/** `ip route get <gateway>` without a `via`: the gateway is on a connected subnet; `src` is our address there. */
export function parseGatewayReach(output: string, ok: boolean): GatewayReach {
  const first = output.split("\n")[0]?.trim() ?? "";
  if (!ok || first === "") return { kind: "not-connected", detail: first || "no route to it" };
  const words = first.split(/\s+/);
  if (words.includes("via")) return { kind: "not-connected", detail: first };
  const src = words.indexOf("src");
  return { kind: "connected", source: src >= 0 ? words[src + 1] : undefined };
}

/** `ip route replace`: idempotent (a second run replaces the route with itself). */
export async function installReturnRoute(commands: CommandRunner, cidr: Cidr, gateway: IpAddress): Promise<FixOutcome> {
  const run = await runIp(commands, [`-${cidr.family}`, "route", "replace", cidr.text, "via", gateway.text]);
  return run.ok ? { ok: true, change: `route ${cidr.text} via ${gateway.text}` } : { ok: false, error: `ip route replace ${cidr.text}: ${run.output}` };
}

async function probeGatewayReach(commands: CommandRunner, gateway: IpAddress): Promise<GatewayReach> {
  const run = await runIp(commands, [`-${gateway.family}`, "route", "get", gateway.text]);
  return run.ran ? parseGatewayReach(run.output, run.ok) : { kind: "unknown", error: run.output };
}

/** Runs iproute2/busybox `ip`: ok with stdout, or not ok with stderr's text; `ran`: false when it did not run to its end (the error says why). */
async function runIp(commands: CommandRunner, args: readonly string[], maxOutputBytes?: number): Promise<{ readonly ok: boolean; readonly ran: boolean; readonly output: string }> {
  const run = await commands.run(["ip", ...args], { label: ["ip", ...args].join(" "), timeoutMs: COMMAND_TIMEOUTS.ip.ms, ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }) });
  if (!run.ok) return { ok: false, ran: false, output: run.error };
  const succeeded = isSuccess(run.value.status);
  return { ok: succeeded, ran: true, output: (succeeded ? run.value.stdout : run.value.stderr).trim() };
}

/** The return-route check: gateway connected, each route present, installed, or failed. */
export function checkReturnRoutes(facts: ReturnRouteFacts | undefined, config: Pick<Config, "routes">, applied: readonly AppliedFix[] | undefined): PreflightCheck {
  if (facts === undefined) {
    const what = (config.routes ?? []).length === 0 ? "no subnets advertised" : "TS_CONTAINER_GATEWAY not set: no return routes added (the default route must lead back to the subnets)";
    return createCheck("return-routes", "ok", what);
  }
  const { gateway, reach } = facts;
  if (reach.kind === "unknown") return createCheck("return-routes", "warn", `cannot check the gateway ${gateway.text} (${reach.error}): no return routes added`, "run `doctor` to see whether `ip` works in the container");
  if (reach.kind === "not-connected") {
    return createCheck("return-routes", "fail", `gateway ${gateway.text} is not on a connected subnet (${reach.detail})`, "set TS_CONTAINER_GATEWAY to the address of the router on the container's veth subnet (RouterOS: the veth's gateway=)");
  }
  const failed = facts.routes.filter((route) => !route.present).map((route) => ({ route, error: findFixError(applied, `route ${route.cidr.text}`) }));
  const other = facts.otherFamily.length === 0 ? "" : `; no IPv${gateway.family === 4 ? 6 : 4} gateway for ${facts.otherFamily.map((cidr) => cidr.text).join(", ")}`;
  const router = reach.source === undefined ? "" : `; on the router: ${returnRouteCommand(reach.source)}`;
  if (failed.length === 0) return createCheck("return-routes", other === "" ? "ok" : "warn", `${facts.routes.map((route) => route.cidr.text).join(", ")} via ${gateway.text}${other}${router}`);
  const missing = failed.map((entry) => entry.route.cidr.text).join(", ");
  const errors = failed.flatMap((entry) => (entry.error === undefined ? [] : [entry.error]));
  if (errors.length > 0) return createCheck("return-routes", "warn", `cannot add ${missing} via ${gateway.text}: ${errors.join("; ")}`, "give the container CAP_NET_ADMIN");
  return createCheck("return-routes", "warn", `${missing} via ${gateway.text} missing; will be added with ip route replace${other}${router}`, FIXED_AT_START);
}
