// Kernel TUN or userspace networking: the TUN and capability checks, and the fallback TS_USERSPACE=auto allows.
import type { Config } from "../../config/config.ts";
import { createCheck, FIXED_AT_START, type PreflightCheck } from "../preflight-check.ts";
import { findMissingCapabilities, type CapabilityFacts } from "./capabilities.ts";
import { TUN_PATH, type TunFacts } from "./tun.ts";

/** What the networking decision is based on. `tunError`: creating the node was tried and failed. */
export interface NetworkingInputs {
  readonly userspace: Config["userspace"];
  readonly tun: TunFacts;
  readonly capabilities: CapabilityFacts;
  /** /dev/net (or /dev) is mounted read-only: no node can be created. */
  readonly devReadOnly: boolean;
  readonly tunError: string | undefined;
}

/** The mode chosen and the checks explaining it; `kernelWanted`: the user did not ask for userspace. */
export interface NetworkingDecision {
  readonly userspace: boolean;
  readonly kernelWanted: boolean;
  readonly checks: readonly PreflightCheck[];
}

const TUN_FIX = "Docker: --device /dev/net/tun --cap-add NET_ADMIN; RouterOS: 7.21 or later exposes /dev/net/tun in every container (upgrade)";
const CAPS_FIX = "Docker: --cap-add NET_ADMIN --cap-add NET_RAW (and MKNOD when /dev/net/tun is missing); RouterOS 7.24+: privileged=yes";

/** Decides kernel vs userspace networking. Pure. */
export function decideNetworking(inputs: NetworkingInputs): NetworkingDecision {
  const kernelWanted = inputs.userspace !== "true";
  const missing = findMissingCapabilities(inputs.capabilities, inputs.tun.kind === "missing");
  const blockers: string[] = [];
  if (missing.some((capability) => capability.name === "NET_ADMIN")) blockers.push("no CAP_NET_ADMIN");
  const tunProblem = describeTunProblem(inputs, missing.some((capability) => capability.name === "MKNOD"));
  if (tunProblem !== undefined) blockers.push(tunProblem.what);
  const fix = tunProblem?.fix ?? TUN_FIX;
  const blockedStatus = inputs.userspace === "false" ? "fail" : "warn";
  const checks: PreflightCheck[] = [checkTun(inputs, tunProblem, kernelWanted ? blockedStatus : "ok")];
  if (inputs.capabilities.kind === "unknown") checks.push(createCheck("capabilities", "warn", `cannot read capabilities: ${inputs.capabilities.error}`));
  else if (missing.length === 0) checks.push(createCheck("capabilities", "ok", "NET_ADMIN and NET_RAW are effective"));
  else {
    const what = missing.map((capability) => `no CAP_${capability.name} (breaks ${capability.breaks})`).join("; ");
    checks.push(createCheck("capabilities", kernelWanted ? blockedStatus : "ok", what, CAPS_FIX));
  }
  if (!kernelWanted) return { userspace: true, kernelWanted, checks: [...checks, createCheck("mode", "ok", "userspace networking (TS_USERSPACE=true)")] };
  if (blockers.length === 0) return { userspace: false, kernelWanted, checks: [...checks, createCheck("mode", "ok", "kernel TUN networking (tailscale0)")] };
  const reasons = blockers.join(", ");
  if (inputs.userspace === "false") {
    return { userspace: false, kernelWanted, checks: [...checks, createCheck("mode", "fail", `kernel TUN networking is impossible (${reasons}) and TS_USERSPACE=false`, `${fix}; or set TS_USERSPACE=auto`)] };
  }
  const what = `kernel TUN networking is impossible (${reasons}): falling back to userspace networking (no tailscale0; subnet routes and exit node through tailscaled's netstack)`;
  return { userspace: true, kernelWanted, checks: [...checks, createCheck("mode", "warn", what, fix)] };
}

/** Why kernel mode cannot have a TUN device and what fixes it, or undefined when it can (now or once created). */
function describeTunProblem(inputs: NetworkingInputs, noMknod: boolean): { readonly what: string; readonly fix: string } | undefined {
  const { tun } = inputs;
  const problem = (what: string, fix = TUN_FIX) => ({ what, fix });
  if (tun.kind === "usable") return undefined;
  if (tun.kind === "not-a-tun") return problem(`${TUN_PATH} is not the TUN device (${tun.detail})`);
  if (tun.kind === "unopenable") return describeUnopenable(tun);
  if (inputs.tunError !== undefined) return problem(`${TUN_PATH} is missing and creating it failed (${inputs.tunError})`);
  if (noMknod) return problem(`${TUN_PATH} is missing and cannot be created without CAP_MKNOD`);
  if (inputs.devReadOnly) return problem(`${TUN_PATH} is missing and /dev is read-only`);
  return undefined;
}

/**
 * The node is there but does not open. The kernel tells the causes apart by errno: a node on a
 * `nodev` mount gets EACCES (and the mount table says nodev), the device cgroup's refusal EPERM.
 */
function describeUnopenable(tun: Extract<TunFacts, { kind: "unopenable" }>): { readonly what: string; readonly fix: string } {
  if (tun.noDevMount !== undefined) {
    const what = `${TUN_PATH} cannot be opened (${tun.error}): it is on ${tun.noDevMount}, mounted nodev, where device nodes do not work`;
    return { what, fix: `give the container the host's device instead of a node on a nodev mount (Docker: --device /dev/net/tun), or mount ${tun.noDevMount} without nodev` };
  }
  if (tun.code === "EPERM") return { what: `${TUN_PATH} cannot be opened (${tun.error}): the device cgroup denies it`, fix: TUN_FIX };
  return { what: `${TUN_PATH} cannot be opened (${tun.error})`, fix: TUN_FIX };
}

function checkTun(inputs: NetworkingInputs, problem: { readonly what: string; readonly fix: string } | undefined, blockedStatus: "ok" | "warn" | "fail"): PreflightCheck {
  if (inputs.tun.kind === "usable") return createCheck("tun", "ok", `${TUN_PATH} is usable (char 10:200)`);
  if (problem !== undefined) return createCheck("tun", blockedStatus, problem.what, problem.fix);
  if (blockedStatus === "ok") return createCheck("tun", "ok", `${TUN_PATH} is missing; not needed in userspace networking`);
  return createCheck("tun", "warn", `${TUN_PATH} is missing; it can be created (mknod c 10 200, mode 600)`, FIXED_AT_START);
}
