// What tailscaled's states ask of the login: the CLI call the first state of each run needs, and the
// key's retirement once the node is logged in.
import type { Config } from "../../config/config.ts";
import type { Logger } from "../../log/logger.ts";
import type { BackendState } from "../tailscaled/tailscaled-events.ts";
import type { LoginFiles } from "./login-files.ts";
import { chooseLoginCommand, type CliCall, type LoginInputs, type LoginPhase, type LoginPlan } from "./login-plan.ts";

/** Follows tailscaled's states for the login. */
export interface LoginDriver {
  /** A new tailscaled run began: its first state decides again. */
  noteStart(): void;
  /** tailscaled switched to `state`: the CLI calls to make now. */
  onState(state: BackendState): CliCall[];
}

// States that mean the node is logged in: the key has served.
const LOGGED_IN: readonly BackendState[] = ["Starting", "Running", "NeedsMachineAuth"];

/** Creates the driver for the login chosen before tailscaled started. */
export function createLoginDriver(config: Config, plan: LoginPlan, inputs: LoginInputs, files: LoginFiles, log: Logger): LoginDriver {
  let decided = false;
  return {
    noteStart() {
      decided = false;
    },
    onState(state) {
      const calls: CliCall[] = [];
      // The first state of each run tells whether the saved state is logged in: only then is the key used.
      const phase: LoginPhase | undefined = state === "NeedsLogin" ? "needs-login" : state === "Starting" || state === "Running" ? "logged-in" : undefined;
      if (phase !== undefined && !decided) {
        decided = true;
        const call = chooseLoginCommand(plan, config, inputs, phase, files.keyInConfig());
        if (call !== undefined) calls.push(call);
      }
      if (LOGGED_IN.includes(state) && files.keyInConfig()) {
        const problem = files.retireKey();
        if (problem !== undefined) log.warn("the auth key could not be retired", { problem, fix: "check the runtime directory" });
        else {
          log.info("key retired: the node is logged in; tailscaled's config file no longer names the key, and its copy is removed", { file: files.configFile });
          // tailscaled keeps the config it read: reloaded, it forgets the key's path too.
          calls.push({ command: "reload-config", args: [`--socket=${config.socket}`, "debug", "reload-config"] });
        }
      }
      return calls;
    },
  };
}
