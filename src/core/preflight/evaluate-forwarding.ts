// Checks for forwarding sysctls and return routes, before (`doctor`) or after the fixes were applied.
import type { Config } from "../config/config.ts";
import { createCheck, findFixError, FIXED_AT_START, type AppliedFix, type PreflightCheck } from "./preflight-check.ts";
import type { FilesPort } from "../host.ts";
import { findMount, readMounts } from "../system/mountinfo.ts";
import { planSysctlWrites, probeSysctls, type ForwardingNeeds, type SysctlFacts } from "./probe-forwarding.ts";
import type { ReturnRouteFacts } from "./return-routes.ts";

const HOST_SYSCTL_FIX = "the host must set it: Docker `--sysctl NAME=VALUE` (or --privileged); RouterOS lets the container write /proc/sys/net, so check that nothing mounts it read-only";

/** What forwarding needs: routes of a family or an exit node, in kernel mode only (netstack routes by itself). */
export function findForwardingNeeds(config: Pick<Config, "routes" | "advertiseExitNode">, userspace: boolean): ForwardingNeeds {
  const exitNode = config.advertiseExitNode;
  const families = new Set((config.routes ?? []).map((route) => route.family));
  return { ipv4: !userspace && (exitNode || families.has(4)), ipv6: !userspace && (exitNode || families.has(6)) };
}

/** One check per sysctl still to write; `applied` undefined means nothing was tried (`doctor`). */
export function checkSysctls(facts: SysctlFacts, needs: ForwardingNeeds, applied: readonly AppliedFix[] | undefined): readonly PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  if (!needs.ipv4 && !needs.ipv6) checks.push(createCheck("forwarding", "ok", "not needed (no routes advertised, no exit node, or userspace networking)"));
  else checks.push(createCheck("forwarding", "ok", `needed for ${[needs.ipv4 ? "IPv4" : "", needs.ipv6 ? "IPv6" : ""].filter(Boolean).join(" and ")}`));
  for (const write of planSysctlWrites(facts, needs)) {
    const error = findFixError(applied, write.name);
    const host = HOST_SYSCTL_FIX.replace("NAME=VALUE", `${write.name}=${write.value}`);
    const status = write.essential ? "warn" : "ok";
    const note = write.essential ? "" : "note, throughput only: ";
    if (error !== undefined) checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current} and cannot be set to ${write.value} (${error}): ${write.why}`, host));
    else if (facts.readOnly) checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current} and /proc/sys is read-only: ${write.why}`, host));
    else checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current}; it will be set to ${write.value}: ${write.why}`, FIXED_AT_START));
  }
  return checks;
}

// Without these, nothing is routed at all (rp_filter and accept_ra only hurt some traffic).
const FORWARDING_SYSCTLS = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"];

/**
 * Forwarding that advertised routes or an exit node need and that is off right now, read again
 * (after preflight tried to turn it on), with why and the host-side fix; undefined when routed
 * traffic can pass.
 */
export function findBlockedForwarding(files: FilesPort, needs: ForwardingNeeds): { readonly what: string; readonly fix: string } | undefined {
  const readOnly = findMount(readMounts(files), "/proc/sys/net")?.readOnly === true;
  const off = planSysctlWrites(probeSysctls(files, readOnly), needs).filter((write) => FORWARDING_SYSCTLS.includes(write.name));
  if (off.length === 0) return undefined;
  const values = off.map((write) => `${write.name} is ${write.current}`).join(", ");
  return { what: `${values} and ${readOnly ? "/proc/sys is read-only" : "it could not be set"}`, fix: HOST_SYSCTL_FIX.replace("NAME=VALUE", off.map((write) => `${write.name}=${write.value}`).join(" --sysctl ")) };
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
  const router = reach.source === undefined ? "" : `; on the router: /ip/route/add dst-address=100.64.0.0/10 gateway=${reach.source}`;
  if (failed.length === 0) return createCheck("return-routes", other === "" ? "ok" : "warn", `${facts.routes.map((route) => route.cidr.text).join(", ")} via ${gateway.text}${other}${router}`);
  const missing = failed.map((entry) => entry.route.cidr.text).join(", ");
  const errors = failed.flatMap((entry) => (entry.error === undefined ? [] : [entry.error]));
  if (errors.length > 0) return createCheck("return-routes", "warn", `cannot add ${missing} via ${gateway.text}: ${errors.join("; ")}`, "give the container CAP_NET_ADMIN");
  return createCheck("return-routes", "warn", `${missing} via ${gateway.text} missing; will be added with ip route replace${other}${router}`, FIXED_AT_START);
}
