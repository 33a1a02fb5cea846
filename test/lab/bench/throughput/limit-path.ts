// The limit of a throughput benchmark: the path the tailnet traffic takes through the topology
// (client → router → the container's namespace → router → LAN host, and back), without Tailscale.
// The router sends what goes between its WAN and the LAN through the container's namespace, which
// forwards it back (as the subnet router does after decrypting); no container runs meanwhile.
import { TOPOLOGY, type Topology } from "../../topology.ts";

/** A routing table of the router's own (not used by anything else in the topology). */
const TABLE = "119";
/** Before the topology's `prohibit` rule (iif wan to the LAN), which has the default priority. */
const PRIORITY = ["100", "101"] as const;

async function must(topology: Pick<Topology, "exec">, where: "router" | "container", command: readonly string[]): Promise<void> {
  const result = await topology.exec(where, command);
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} in the ${where} namespace: ${result.stderr.trim()}`);
}

/**
 * Routes WAN ⇄ LAN through the container's namespace (forwarding on there); returns the function
 * that undoes it (the container namespace's forwarding back off, as the topology leaves it).
 */
export async function openLimitPath(topology: Pick<Topology, "exec">): Promise<() => Promise<void>> {
  const rules = [
    ["iif", "wan", "to", TOPOLOGY.lanSubnet, "lookup", TABLE, "priority", PRIORITY[0]],
    ["iif", "v-lan", "to", TOPOLOGY.wanSubnet, "lookup", TABLE, "priority", PRIORITY[1]],
  ];
  const close = async (): Promise<void> => {
    for (const rule of rules) await topology.exec("router", ["ip", "rule", "del", ...rule]);
    await topology.exec("router", ["ip", "route", "flush", "table", TABLE]);
    await topology.exec("container", ["sysctl", "-qw", "net.ipv4.ip_forward=0"]);
  };
  try {
    await must(topology, "container", ["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
    // The container's namespace hands the packets back to the router on the link they came from.
    await must(topology, "container", ["sysctl", "-qw", `net.ipv4.conf.${TOPOLOGY.containerInterface}.send_redirects=0`]);
    await must(topology, "container", ["sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0"]);
    await must(topology, "router", ["ip", "route", "add", "default", "via", TOPOLOGY.containerAddress, "table", TABLE]);
    for (const rule of rules) await must(topology, "router", ["ip", "rule", "add", ...rule]);
  } catch (error) {
    await close();
    throw error;
  }
  return close;
}
