// --scenario router-exit-node: the router offers an exit node; the tailnet client's internet traffic
// goes out through the router's NAT.
import { approveRoutesOf, EXIT_ROUTES } from "../../router.ts";
import { pingCheck, seenAddress } from "../../lan-traffic.ts";
import { TOPOLOGY } from "../../topology.ts";
import { LAN_SERVICES } from "../../topology-lan-services.ts";
import { restartWith, showFails, showWorks, type Scenario } from "./scenario.ts";

export const ROUTER_EXIT_NODE: Scenario = {
  name: "router-exit-node",
  what: "the router as an exit node for tailnet clients (TS_EXTRA_ARGS=--advertise-exit-node)",
  steps: 3,
  async run(run) {
    const { context, state, topology } = run;
    const { step, say } = context;
    const target = LAN_SERVICES.routerInternetHost;
    const client = state.client;
    if (client === undefined) throw new Error("the demo's client is not there");
    step(`the router's internet host ${target} (the router NATs to it, as /ip/firewall/nat srcnat masquerade does); the client cannot reach it from outside:`);
    topology.serveEcho("internet", "the router's internet host");
    await showFails(context, `client ${client.ip} -> ${target} (ping)`, () => pingCheck(topology, "client", target));

    step("the container offers an exit node:");
    const running = await restartWith(run, { TS_EXTRA_ARGS: "--advertise-exit-node" });
    const node = /ips=(\d+\.\d+\.\d+\.\d+)/.exec(running)?.[1] ?? "";
    say(`Running again: ${/exitNode=\S+/.exec(running)?.[0] ?? running}`);
    const id = await approveRoutesOf(topology, context.record.hostname ?? "router", [TOPOLOGY.lanSubnet, ...EXIT_ROUTES]);
    say(`approved: headscale nodes approve-routes --identifier ${id} --routes ${[TOPOLOGY.lanSubnet, ...EXIT_ROUTES].join(",")}`);
    await showWorks(context, `client: tailscale set --exit-node=${node}`, async () => ((await client.cli(["set", `--exit-node=${node}`])).exitCode === 0 ? "done" : undefined), 60_000);

    step("the client's internet traffic goes out through the router:");
    await showWorks(context, `client ${client.ip} -> ${target} (HTTP)`, async () => {
      const address = await seenAddress(topology, "client", target);
      return address === undefined ? undefined : `the host saw ${address} (the router's address)`;
    });
    await showWorks(context, `client ${client.ip} -> ${target} (ping)`, () => pingCheck(topology, "client", target));
    await showWorks(context, `client ${client.ip} -> LAN host ${TOPOLOGY.lanHost} (ping)`, () => pingCheck(topology, "client", TOPOLOGY.lanHost));
  },
};
