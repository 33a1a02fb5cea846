// Whether tailscaled's saved state holds a login, read before it starts (to decide where the key goes).
import type { FilesPort } from "../../host.ts";

/**
 * True when `<stateDir>/tailscaled.state` names a current profile: tailscaled writes
 * `_current-profile` once a login succeeded (ipn/store, profile manager). A node whose key has
 * since expired still counts: tailscaled then says NeedsLogin, and the supervisor logs in by CLI.
 */
export function hasSavedLogin(files: FilesPort, stateDir: string): boolean {
  const text = files.readText(`${stateDir}/tailscaled.state`);
  if (!text.ok) return false;
  try {
    const state = JSON.parse(text.value) as Record<string, unknown>;
    const current = state["_current-profile"];
    return typeof current === "string" && current !== "";
  } catch {
    return false;
  }
}
