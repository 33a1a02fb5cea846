// --scenario exit-node: chosen LAN hosts send their internet traffic through a tailnet exit node
// (RouterOS: a routing table with the container as gateway and a /routing/rule for the hosts).
import { approveRoutesOf, EXIT_ROUTES } from "../../router.ts";
import { pingCheck, seenAddress } from "../../lan-traffic.ts";
import { TOPOLOGY } from "../../topology.ts";
import { LAN_SERVICES } from "../../topology-lan-services.ts";
import { recordProcesses } from "../demo.ts";
import { restartWith, showFails, showWorks, type Scenario } from "./scenario.ts";

export const EXIT_NODE: Scenario = {
  name: "exit-node",
  what: "the LAN host's internet traffic through a tailnet exit node (TS_EXTRA_ARGS=--exit-node, TS_LAN_MASQUERADE)",
  steps: 4,
  async run(run) {
    const { context, state, topology } = run;
    const { step, say } = context;
    const target = LAN_SERVICES.exitNodeInternetHost;
    step(`a tailnet client offering an exit node (tailscale up --advertise-exit-node), its internet host ${target} behind it`);
    const exitNode = await topology.startScenarioClient("exitNode", { hostname: "exitnode", acceptRoutes: false, advertiseExitNode: true });
    topology.serveEcho("exitInternet", "the exit node's internet host");
    recordProcesses(context, state);
    const id = await approveRoutesOf(topology, "exitnode", EXIT_ROUTES);
    say(`exit node ${exitNode.ip} up; approved: headscale nodes approve-routes --identifier ${id} --routes ${EXIT_ROUTES.join(",")}`);
    await showFails(context, `LAN host ${TOPOLOGY.lanHost} -> ${target} (ping)`, () => pingCheck(topology, "lan", target));

    step(`the router sends the LAN host ${TOPOLOGY.lanHost} to the container (a table of its own, as RouterOS does it):`);
    say("/routing/table/add name=via-tailscale fib");
    say(`/ip/route/add dst-address=0.0.0.0/0 gateway=${TOPOLOGY.containerAddress} routing-table=via-tailscale`);
    say(`/routing/rule/add src-address=${TOPOLOGY.lanHost}/32 action=lookup table=via-tailscale`);
    await topology.exec("router", ["ip", "route", "add", "default", "via", TOPOLOGY.containerAddress, "table", "100"]);
    await topology.exec("router", ["ip", "rule", "add", "from", `${TOPOLOGY.lanHost}/32`, "lookup", "100", "priority", "100"]);

    step(`the container uses the exit node; TS_LAN_MASQUERADE=true, because the exit node takes only the router's tailnet address:`);
    const running = await restartWith(run, { TS_EXTRA_ARGS: `--exit-node=${exitNode.ip}`, TS_LAN_MASQUERADE: "true" });
    say(`Running again: ${/exitNode=\S+ exitNodeIp=\S+/.exec(running)?.[0] ?? running}`);
    say("(the supervisor adds --exit-node-allow-lan-access, and keeps the LAN reachable with a policy rule per route: ip rule ... priority 5260)");

    step("through the exit node, and the subnet router still works:");
    await showWorks(context, `LAN host ${TOPOLOGY.lanHost} -> ${target} (HTTP)`, async () => {
      const address = await seenAddress(topology, "lan", target);
      return address === undefined ? undefined : `the host saw ${address} (the exit node's address)`;
    });
    await showWorks(context, `LAN host ${TOPOLOGY.lanHost} -> ${target} (ping)`, () => pingCheck(topology, "lan", target));
    if (state.client !== undefined) await showWorks(context, `client ${state.client.ip} -> LAN host ${TOPOLOGY.lanHost} (ping)`, () => pingCheck(topology, "client", TOPOLOGY.lanHost));
  },
};
