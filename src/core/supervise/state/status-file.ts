// The state the supervisor records on tmpfs for `health` (no CLI exec for a health check).
import type { FilesPort } from "../../host.ts";
import type { BackendState } from "../tailscaled/tailscaled-events.ts";

/** File name inside the runtime directory. */
export const STATUS_FILE_NAME = "status.json";

/** What `health` reads. */
export interface RecordedStatus {
  readonly supervisorPid: number;
  readonly state: BackendState | "Stopped" | "Failed";
  readonly sinceMs: number;
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
    const value = JSON.parse(text.value) as Partial<RecordedStatus>;
    if (typeof value.supervisorPid !== "number" || typeof value.state !== "string" || typeof value.sinceMs !== "number") return undefined;
    return { supervisorPid: value.supervisorPid, state: value.state, sinceMs: value.sinceMs };
  } catch {
    return undefined;
  }
}
