// --scenario lan-masquerade: the LAN reaches a tailnet client that does not accept routes (Linux's
// default) only with TS_LAN_MASQUERADE=true, and that client then sees the router's tailnet address.
import { pingCheck, seenAddress } from "../../lan-traffic.ts";
import { TOPOLOGY } from "../../topology.ts";
import { recordProcesses } from "../demo.ts";
import { restartWith, showFails, showWorks, type Scenario } from "./scenario.ts";

export const LAN_MASQUERADE: Scenario = {
  name: "lan-masquerade",
  what: "the LAN reaches a client that does not accept routes, with TS_LAN_MASQUERADE=true",
  steps: 3,
  async run(run) {
    const { context, state, topology } = run;
    const { step, say } = context;
    step("a second tailnet client that does NOT accept routes (tailscale up without --accept-routes: Linux's default)");
    const client2 = await topology.startScenarioClient("client2", { hostname: "client2", acceptRoutes: false });
    recordProcesses(context, state);
    say(`client2 ${client2.ip} up, serving a page that says whose address asked`);
    await showFails(context, `LAN host ${TOPOLOGY.lanHost} -> client2 ${client2.ip} (ping)`, () => pingCheck(topology, "lan", client2.ip));
    say("client2 drops packets from 192.168.88.10: it takes a subnet router's LAN addresses only when it accepts its routes");

    step("TS_LAN_MASQUERADE=true: traffic the container forwards into the tailnet leaves as its own tailnet address");
    const running = await restartWith(run, { TS_LAN_MASQUERADE: "true" });
    say(`Running again: ${/masquerade=("[^"]*"|\S+)/.exec(running)?.[0] ?? running}`);

    step("the LAN host reaches client2 now:");
    await showWorks(context, `LAN host ${TOPOLOGY.lanHost} -> client2 ${client2.ip} (ping)`, () => pingCheck(topology, "lan", client2.ip));
    const seen = await showWorks(context, `LAN host ${TOPOLOGY.lanHost} -> client2 ${client2.ip} (HTTP)`, async () => {
      const address = await seenAddress(topology, "lan", client2.ip);
      return address === undefined ? undefined : `client2 saw the request come from ${address}`;
    });
    say(`(${seen.split(" ").at(-1)} is the router's tailnet address: the cost of the setting is that peers see the router, not the LAN host)`);
  },
};
