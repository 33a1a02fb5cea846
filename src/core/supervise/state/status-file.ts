// What the supervisor knows about the node, recorded on tmpfs for `health` and `doctor` (processes of
// their own: no CLI exec for a health check). Written only when something changed.
import type { FilesPort } from "../../host.ts";
import type { TroubleClass } from "../control/control-errors.ts";
import type { BackendState } from "../tailscaled/tailscaled-events.ts";
import type { HealthWarning } from "./health-warnings.ts";

/** File name inside the runtime directory. */
export const STATUS_FILE_NAME = "status.json";

/** Advertised routes as the last `tailscale status --json` showed them. */
export interface RecordedRoutes {
  readonly advertised: readonly string[];
  readonly approved: readonly string[];
  readonly pending: readonly string[];
  readonly checkedAtMs: number;
  /**
   * Whether the control server tells the node when its routes are approved. Tailscale's service does;
   * Headscale 0.29 (TS_LOGIN_SERVER) does only at the node's next map session (a restart): its route
   * approval sends the node no update of itself (hscontrol/state SetApprovedRoutes: a PolicyChange,
   * which leaves the node out), so what the node shows as pending may be approved already.
   */
  readonly approvalsSeen: boolean;
}

/** What `health` and `doctor` read. Only the first three are always there (older supervisors wrote only them). */
export interface RecordedStatus {
  readonly supervisorPid: number;
  readonly state: BackendState | "Stopped" | "Failed";
  readonly sinceMs: number;
  readonly startedAtMs?: number;
  /** TS_BOOT_TIMEOUT, and whether it passed without Running (reset at Running). */
  readonly bootTimeoutMs?: number;
  readonly bootTimedOut?: boolean;
  /** A login URL or a machine approval waits for a human. */
  readonly waitingFor?: "login" | "approval";
  readonly restarts?: number;
  readonly tailscaledVersion?: string;
  readonly mode?: string;
  readonly runningSinceMs?: number;
  readonly health?: readonly HealthWarning[];
  readonly controlTrouble?: { readonly troubleClass: TroubleClass; readonly message: string; readonly sinceMs: number };
  /** The control server last answered (a login, a map response). */
  readonly lastControlContactMs?: number;
  readonly routes?: RecordedRoutes;
  readonly exitNode?: { readonly offered: boolean; readonly approved?: boolean };
  /** Routed traffic cannot pass: what blocks it (forwarding off and /proc/sys read-only). */
  readonly forwardingBlocked?: string;
}

/** Writes the status atomically (write a temporary file, then rename). */
export function writeStatus(files: FilesPort, dir: string, status: RecordedStatus): void {
  const path = `${dir}/${STATUS_FILE_NAME}`;
  const written = files.createFile(`${path}.tmp`, `${JSON.stringify(status)}\n`, 0o644);
  if (written.ok) files.rename(`${path}.tmp`, path);
}

/** Reads the recorded status; undefined when there is none or it is unreadable. */
export function readStatus(files: FilesPort, dir: string): RecordedStatus | undefined {
  const text = files.readText(`${dir}/${STATUS_FILE_NAME}`);
  if (!text.ok) return undefined;
  try {
    const value = JSON.parse(text.value) as Partial<RecordedStatus> | null;
    if (typeof value?.supervisorPid !== "number" || typeof value.state !== "string" || typeof value.sinceMs !== "number") return undefined;
    return value as RecordedStatus;
  } catch {
    return undefined;
  }
}

/** Fields to change; undefined removes an optional one. */
export type StatusPatch = { readonly [K in keyof RecordedStatus]?: RecordedStatus[K] | undefined };

/** The status being recorded. */
export interface StatusRecorder {
  current(): RecordedStatus;
  /** Merges the fields in; writes the file when that changed anything. */
  update(patch: StatusPatch): void;
}

/** A recorder writing to `dir` (tmpfs) when given, starting from `initial` (written at once). */
export function createStatusRecorder(files: FilesPort, dir: string | undefined, initial: RecordedStatus): StatusRecorder {
  let status = initial;
  let written = JSON.stringify(status);
  if (dir !== undefined) writeStatus(files, dir, status);
  return {
    current: () => status,
    update(patch) {
      const next = { ...status, ...patch } as RecordedStatus;
      const text = JSON.stringify(next);
      status = next;
      if (text === written) return;
      written = text;
      if (dir !== undefined) writeStatus(files, dir, status);
    },
  };
}
