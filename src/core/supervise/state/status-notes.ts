// What the supervisor loop adds to the recorded status (status-file.ts) besides the state: the
// control-server trouble and the server's last answer, for `health` and `doctor`.
import type { Trouble } from "../control/control-trouble.ts";
import type { StatusRecorder } from "./status-file.ts";

// The control server answers every minute or so while Running: recorded at most this often.
const CONTACT_RECORD_EVERY_MS = 30_000;

/** The trouble reaching the control server began, changed or ended. */
export function recordTrouble(recorder: StatusRecorder, trouble: Trouble | undefined): void {
  recorder.update({ controlTrouble: trouble === undefined ? undefined : { troubleClass: trouble.troubleClass, message: trouble.message, sinceMs: trouble.sinceMs } });
}

/** The control server answered (a login, Running, a map response). */
export function noteControlContact(recorder: StatusRecorder, nowMs: number): void {
  if (nowMs - (recorder.current().lastControlContactMs ?? 0) >= CONTACT_RECORD_EVERY_MS) recorder.update({ lastControlContactMs: nowMs });
}
