// Whether tailscaled's saved state holds a login, read before it starts (to decide where the key goes).
import type { FilesPort } from "../../host.ts";

/** tailscaled's state file holds keys and a few profiles: kilobytes. A larger one is not read. */
const MAX_STATE_BYTES = 1024 * 1024;

/**
 * True when `<stateDir>/tailscaled.state` names a current profile: tailscaled writes
 * `_current-profile` once a login succeeded (ipn/store, profile manager). A node whose key has
 * since expired still counts: tailscaled then says NeedsLogin, and the supervisor logs in by CLI.
 */
export function hasSavedLogin(files: FilesPort, stateDir: string): boolean {
  const path = `${stateDir}/tailscaled.state`;
  // Only a regular file, read without blocking and bounded: a FIFO or a device there must not hang
  // the start, nor a huge file fill the memory.
  const info = files.stat(path);
  if (!info.ok || info.value.kind !== "file") return false;
  const text = files.readTextBounded(path, MAX_STATE_BYTES);
  if (!text.ok || !text.value.complete) return false;
  try {
    const state = JSON.parse(text.value.text) as Record<string, unknown>;
    const current = state["_current-profile"];
    return typeof current === "string" && current !== "";
  } catch {
    return false;
  }
}
