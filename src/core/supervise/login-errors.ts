// A login the control server refused: which kind, and the fix for Tailscale's service or Headscale.

/** Advice for a refused login. */
export interface LoginRejection {
  readonly cause: string;
  readonly fix: string;
}

/** Turns the server's message into a cause and a fix; `headscale` when a login server is configured. */
export function explainLoginError(message: string, headscale: boolean): LoginRejection {
  const lower = message.toLowerCase();
  const newKey = headscale
    ? "create a new pre-auth key (headscale preauthkeys create --user USER_ID, --reusable for more than one use) and set TS_AUTHKEY to it"
    : "generate a new auth key in the Tailscale admin console (Settings > Keys) and set TS_AUTHKEY to it";
  if (lower.includes("expired")) return { cause: `the auth key has expired (${message})`, fix: newKey };
  if (lower.includes("already used") || lower.includes("used")) return { cause: `the single-use auth key was already used (${message})`, fix: newKey };
  if (lower.includes("invalid") || lower.includes("not valid") || lower.includes("401") || lower.includes("unauthorized")) {
    return { cause: `the control server rejected the auth key (${message})`, fix: `check TS_AUTHKEY for typos, or ${newKey}` };
  }
  return { cause: `the control server refused the login (${message})`, fix: headscale ? "check the Headscale server log and TS_LOGIN_SERVER" : "check the key and the tailnet in the admin console" };
}
