// A refusal of the key stops the container, so it is confirmed before: a printed line can be forged by
// anything tailscaled echoes; the LocalAPI's state cannot. qjs has no sockets: `tailscale status --json`.
import type { ClockPort } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../../process/command-timeouts.ts";
import type { RefusalKind } from "../control/control-errors.ts";

/** What the LocalAPI says of a refusal tailscaled printed. */
export type RefusalCheck =
  | { readonly kind: "confirmed" }
  | { readonly kind: "not-confirmed"; readonly state: string }
  | { readonly kind: "unknown"; readonly error: string };

/** A refusal printed (by tailscaled's run `generation`), and what the LocalAPI said of it. */
export interface CheckedRefusal {
  readonly generation: number;
  readonly refusal: RefusalKind;
  readonly words: string;
  readonly check: RefusalCheck;
}

/** States in which a refused key leaves tailscaled (fixtures status-rejected-*.json, status-config-restart-invalid-key-nostate.json). */
const REFUSED_STATES = ["NeedsLogin", "NoState"];
// The LocalAPI may lag the printed line by a moment: asked again after these delays before giving up.
const RETRY_DELAYS_MS = [1000, 3000];
// After a refusal that was not confirmed, printed refusals are not checked again for this long (each check is a CLI exec).
const RECHECK_AFTER_MS = 30_000;

/**
 * Reads `tailscale status --json`: confirmed when tailscaled is logged out (NeedsLogin, or NoState
 * for a logged-in node restarted with a bad key) and its health holds the login error with the
 * server's words ("You are logged out. The last login error was: invalid pre auth key").
 */
export function judgeStatus(json: string, words: string): RefusalCheck {
  let status: { BackendState?: unknown; Health?: unknown };
  try {
    status = JSON.parse(json) as typeof status;
  } catch {
    return { kind: "unknown", error: "tailscale status printed no JSON" };
  }
  const state = typeof status.BackendState === "string" ? status.BackendState : "unknown";
  const health = Array.isArray(status.Health) ? status.Health.filter((line): line is string => typeof line === "string") : [];
  const loginError = health.some((line) => line.includes("login error") && line.includes(words));
  return REFUSED_STATES.includes(state) && loginError ? { kind: "confirmed" } : { kind: "not-confirmed", state };
}

/** Checks printed refusals, one at a time; each result goes to `report`. */
export interface RefusalChecks {
  note(refusal: RefusalKind, words: string, generation: number): void;
}

/** What the checks run with. */
export interface RefusalCheckSetup {
  readonly commands: CommandRunner;
  readonly clock: ClockPort;
  readonly log: Logger;
  readonly socket: string;
  readonly env: Readonly<Record<string, string>>;
  readonly report: (checked: CheckedRefusal) => void;
}

/** Creates the checks. */
export function createRefusalChecks(setup: RefusalCheckSetup): RefusalChecks {
  let busy = false;
  let quietUntilMs = 0;
  const ask = async (words: string): Promise<RefusalCheck> => {
    const argv = ["tailscale", `--socket=${setup.socket}`, "status", "--json", "--peers=false"];
    const result = await setup.commands.run(argv, { label: "tailscale status", timeoutMs: COMMAND_TIMEOUTS.status.ms, env: setup.env, maxOutputBytes: 1024 * 1024 });
    // `status` may exit non-zero while logged out and still print the state.
    const stdout = result.ok ? result.value.stdout : result.stdout;
    if (!result.ok && stdout.trim() === "") return { kind: "unknown", error: result.error };
    return judgeStatus(stdout, words);
  };
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setup.clock.setTimeout(resolve, ms));
  return {
    note(refusal, words, generation) {
      if (busy || setup.clock.now() < quietUntilMs || setup.commands.stopping) return;
      busy = true;
      void (async () => {
        let check = await ask(words);
        for (const delayMs of RETRY_DELAYS_MS) {
          if (check.kind === "confirmed" || setup.commands.stopping) break;
          await wait(delayMs);
          check = await ask(words);
        }
        busy = false;
        if (check.kind !== "confirmed") quietUntilMs = setup.clock.now() + RECHECK_AFTER_MS;
        setup.report({ generation, refusal, words, check });
      })();
    },
  };
}
