// --scenario magic-dns: LAN hosts and the router resolve tailnet names at 100.100.100.100 through the
// container (RouterOS: a DNS forward for the MagicDNS suffix).
import { lookUp } from "../../lan-traffic.ts";
import { TOPOLOGY } from "../../topology.ts";
import { showWorks, type Scenario } from "./scenario.ts";

const SUFFIX = "tailnet.test";

export const MAGIC_DNS: Scenario = {
  name: "magic-dns",
  what: "tailnet names from the LAN: MagicDNS at 100.100.100.100 through the container",
  steps: 2,
  async run({ context, state, topology }) {
    const { step, say } = context;
    const client = state.client;
    if (client === undefined) throw new Error("the demo's client is not there");
    const log = await state.container?.logs();
    step(`Headscale has MagicDNS on (base domain ${SUFFIX}); the Running line says what RouterOS needs:`);
    say(/magicDns=\S+ routerOsDns="[^"]*"/.exec(log ?? "")?.[0] ?? "(no MagicDNS fields on the Running line)");
    say(`/ip/dns/static/add name=${SUFFIX} type=FWD forward-to=100.100.100.100 match-subdomain=yes`);

    step("names resolve from the LAN host and from the router (as that forward asks), TS_ACCEPT_DNS left false:");
    const name = `client.${SUFFIX}`;
    await showWorks(context, `LAN host ${TOPOLOGY.lanHost}: nslookup ${name} 100.100.100.100`, async () => (await lookUp(topology, "lan", name, "100.100.100.100")).find((address) => address === client.ip));
    await showWorks(context, `router: nslookup ${name} 100.100.100.100`, async () => (await lookUp(topology, "router", name, "100.100.100.100")).find((address) => address === client.ip));
  },
};
