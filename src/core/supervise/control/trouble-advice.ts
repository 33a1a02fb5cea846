// Each kind of control-server trouble in words: what is wrong and the fix. Never about the key:
// none of these is the key's fault, and telling a user to replace a good key costs them the node.
import type { TroubleClass } from "./control-errors.ts";
import { describeDnsFix } from "../../routeros/container-commands.ts";

/** The warning's message (a constant per class) and the fix. */
export interface TroubleAdvice {
  readonly message: string;
  readonly fix: string;
}

/** Advice for `troubleClass`; `headscale` when a login server is configured. */
export function adviseTrouble(troubleClass: TroubleClass, headscale: boolean): TroubleAdvice {
  const advice = describe(troubleClass, headscale);
  return { message: `${advice.message}; tailscaled ${troubleClass === "network-down" ? "waits for it" : "keeps trying"}`, fix: advice.fix };
}

function describe(troubleClass: TroubleClass, headscale: boolean): TroubleAdvice {
  const server = headscale ? "the control server (TS_LOGIN_SERVER)" : "Tailscale's control server";
  switch (troubleClass) {
    case "control-unreachable":
      return {
        message: "control server refuses or drops the connection",
        fix: headscale ? "start the control server, or fix the host and port in TS_LOGIN_SERVER; tailscaled connects by itself once it answers" : "check the router's internet access and any firewall or proxy on the way; tailscaled connects by itself once it gets through",
      };
    case "dns":
      return {
        message: "control server name does not resolve",
        fix: `give the container a working DNS server (${describeDnsFix()}; Docker: --dns)${headscale ? ", or put an IP address in TS_LOGIN_SERVER" : ""}`,
      };
    case "no-route":
      return {
        message: "no route to the control server",
        fix: "give the container a default route (RouterOS: gateway= on the veth, and a masquerade rule for the veth subnet)",
      };
    case "tls":
      return {
        message: "TLS with the control server failed",
        fix: `check the router's clock (/system/ntp/client) and ${server}: its certificate, and https:// vs http:// in the URL`,
      };
    case "timeout":
      return {
        message: "control server does not answer in time",
        fix: `check the path to ${server}: firewall, NAT (masquerade for the veth subnet), and that the server is up`,
      };
    case "server-error":
      return {
        message: "control server answers with an error",
        fix: headscale ? "check the control server and any reverse proxy in front of it, and their logs" : "wait for Tailscale's service (status.tailscale.com), or check a proxy on the way",
      };
    case "network-down":
      return {
        message: "the container's network is down",
        fix: "check the container's interface (the veth) and its address",
      };
    case "control-error":
      return {
        message: "control server reports an error",
        fix: headscale ? "read the error; check TS_LOGIN_SERVER and the control server's log" : "read the error; check the router's internet access",
      };
  }
}
