// A key the control server refused: the cause in words, and the fix for Tailscale's service or Headscale.
import type { RefusalKind } from "../control/control-errors.ts";

/** Advice for a refused login. */
export interface LoginRejection {
  readonly cause: string;
  readonly fix: string;
}

/** Explains a refusal (`words`: the server's message); `headscale` when a login server is configured. */
export function explainRefusal(refusal: RefusalKind, words: string, headscale: boolean): LoginRejection {
  const newKey = headscale
    ? "create a new pre-auth key (headscale preauthkeys create --user USER_ID, --reusable for more than one use) and set TS_AUTHKEY to it"
    : "generate a new auth key in the Tailscale admin console (Settings > Keys) and set TS_AUTHKEY to it";
  switch (refusal) {
    case "expired":
      return { cause: `the auth key has expired (${words})`, fix: newKey };
    case "used":
      return { cause: `the single-use auth key was already used (${words})`, fix: newKey };
    case "unknown-key":
      return { cause: `the control server does not know the auth key: expired, revoked or mistyped (${words})`, fix: `check TS_AUTHKEY for typos, or ${newKey}` };
    case "invalid-or-used":
      return { cause: `the control server rejected the auth key: invalid, or a single-use key already used (${words})`, fix: `check TS_AUTHKEY for typos, or ${newKey} (reusable for more than one node)` };
    case "invalid":
      return { cause: `the control server rejected the auth key (${words})`, fix: `check TS_AUTHKEY for typos, or ${newKey}` };
    case "tags":
      return { cause: `the control server refused the requested tags (${words})`, fix: "use tags the key (or OAuth client) may assign: --advertise-tags in TS_EXTRA_ARGS, and the tagOwners of the tailnet policy" };
    case "unauthorized":
      return { cause: `the control server refused the login (${words})`, fix: headscale ? "check TS_AUTHKEY, TS_LOGIN_SERVER and the Headscale server log" : "check TS_AUTHKEY and the tailnet in the admin console" };
  }
}
