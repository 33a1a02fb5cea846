// The part of the topology (test/lab/topology.ts) the LAN scenarios need, laid out with the rest:
//
//   ${p}-cl2  a second tailnet client 198.51.100.4 on the WAN that does NOT accept routes (Linux's
//             default): it takes no packet from 192.168.88.x
//   ${p}-exn  a tailnet client 198.51.100.5 on the WAN offering an exit node (forwarding on), with
//             its own "internet" one routed hop away: 10.9.0.1/30 to ${p}-ein, route 192.0.2.0/24
//             via 10.9.0.2. A hop, not a connected subnet: an exit node keeps its own connected LANs
//             out of what it forwards for the tailnet (tailscale's "guest wifi" rule, ipnlocal)
//   ${p}-ein  the exit node's internet host 192.0.2.10 (on lo; 10.9.0.2/30 to the exit node)
//   ${p}-net  the router's internet host 203.0.113.10/24: the router (203.0.113.1) masquerades
//             what it sends there, as RouterOS's srcnat on its WAN; the WAN side (the tailnet
//             clients) cannot reach it except through the container offering an exit node
//   IPv6 on the router's two inner links: the container fd00:17::2/64 (default via fd00:17::1),
//   the LAN host fd00:88::10/64; the router routes fd7a:115c:a1e0::/48 (the tailnet) via the container.
import type { Namespaces } from "./topology.ts";

/** The addresses of these parts. */
export const LAN_SERVICES = {
  client2Address: "198.51.100.4",
  exitNodeAddress: "198.51.100.5",
  exitNodeUplink: "10.9.0.1",
  exitNodeInternetLink: "10.9.0.2",
  exitNodeInternetHost: "192.0.2.10",
  routerInternetGateway: "203.0.113.1",
  routerInternetHost: "203.0.113.10",
  routerInternetSubnet: "203.0.113.0/24",
  containerAddress6: "fd00:17::2",
  containerGateway6: "fd00:17::1",
  lanSubnet6: "fd00:88::/64",
  lanGateway6: "fd00:88::1",
  lanHost6: "fd00:88::10",
  tailnet6: "fd7a:115c:a1e0::/48",
} as const;

type Ip = (where: string, ...args: string[]) => Promise<void>;
type Plug = (peer: string, inside: string, address: string, gateway: string, bridge?: string, routerAddress?: string) => Promise<void>;

/** Lays these parts out; `ip` runs `ip -n WHERE ...`, `plug` attaches a namespace to the router. */
export async function layOutLanServices(ns: Namespaces, ip: Ip, plug: Plug, sh: (command: readonly string[]) => Promise<void>): Promise<void> {
  const a = LAN_SERVICES;
  await plug(ns.client2, "eth0", `${a.client2Address}/24`, "198.51.100.1", "wan");
  await plug(ns.exitNode, "eth0", `${a.exitNodeAddress}/24`, "198.51.100.1", "wan");
  await plug(ns.internet, "eth0", `${a.routerInternetHost}/24`, a.routerInternetGateway, undefined, `${a.routerInternetGateway}/24`);
  await ip(ns.exitNode, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", ns.exitInternet);
  await ip(ns.exitNode, "addr", "add", `${a.exitNodeUplink}/30`, "dev", "eth1");
  await ip(ns.exitNode, "link", "set", "eth1", "up");
  await ip(ns.exitNode, "route", "add", "192.0.2.0/24", "via", a.exitNodeInternetLink);
  await ip(ns.exitInternet, "addr", "add", `${a.exitNodeInternetLink}/30`, "dev", "eth0");
  await ip(ns.exitInternet, "addr", "add", `${a.exitNodeInternetHost}/32`, "dev", "lo");
  await ip(ns.exitInternet, "link", "set", "eth0", "up");
  await ip(ns.exitInternet, "route", "add", "default", "via", a.exitNodeUplink);
  // The router's internet: NATed as RouterOS's srcnat does, and out of the WAN side's reach.
  await sh(["ip", "netns", "exec", ns.router, "iptables-legacy", "-w", "5", "-t", "nat", "-A", "POSTROUTING", "-o", `v-${ns.internet.slice(-3)}`, "-j", "MASQUERADE"]);
  await ip(ns.router, "rule", "add", "iif", "wan", "to", a.routerInternetSubnet, "prohibit");
  // IPv6 on the inner links (nodad: usable at once, no duplicate address detection wait).
  await ip(ns.router, "addr", "add", `${a.containerGateway6}/64`, "dev", "containers", "nodad");
  await ip(ns.container, "addr", "add", `${a.containerAddress6}/64`, "dev", "veth-ts", "nodad");
  await ip(ns.container, "-6", "route", "add", "default", "via", a.containerGateway6);
  await ip(ns.router, "addr", "add", `${a.lanGateway6}/64`, "dev", `v-${ns.lan.slice(-3)}`, "nodad");
  await ip(ns.lan, "addr", "add", `${a.lanHost6}/64`, "dev", "eth0", "nodad");
  await ip(ns.lan, "-6", "route", "add", "default", "via", a.lanGateway6);
  await ip(ns.router, "-6", "route", "add", a.tailnet6, "via", a.containerAddress6);
}
