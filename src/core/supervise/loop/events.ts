// Everything the supervisor loop reacts to, as one tagged union.
import type { ExitStatus } from "../../host.ts";
import type { CaptureResult } from "../../process/command-runner.ts";
import type { CheckedRefusal } from "../login/refusal-check.ts";
import type { TailscaledEvent } from "../tailscaled/tailscaled-events.ts";

/** An event in the supervisor's mailbox. `generation` names the tailscaled run it belongs to. */
export type SupervisorEvent =
  | { readonly kind: "signal"; readonly signal: number }
  | { readonly kind: "daemon-exit"; readonly generation: number; readonly status: ExitStatus }
  | { readonly kind: "daemon-event"; readonly generation: number; readonly event: TailscaledEvent }
  /** TS_BOOT_TIMEOUT passed since `arming` (boot-deadline.ts). */
  | { readonly kind: "boot-deadline"; readonly arming: number }
  | { readonly kind: "restart-due" }
  /** Time to decide on a reminder about control-server trouble, or on its end (control-watch.ts). */
  | { readonly kind: "trouble-check" }
  | { readonly kind: "cli-exit"; readonly generation: number; readonly command: "up" | "login" | "reload-config"; readonly result: CaptureResult }
  /** What the LocalAPI said of a refusal tailscaled printed (login/refusal-check.ts). */
  | { readonly kind: "refusal-checked"; readonly generation: number; readonly checked: CheckedRefusal };
