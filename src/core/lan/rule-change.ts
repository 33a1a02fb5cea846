// What the LAN rules' commands share: their time limits and how a change is reported.

/** How long one rule command may take, and how long iptables waits for the xtables lock (`-w`). */
export interface CommandLimits {
  readonly timeoutMs: number;
  readonly lockWaitS: number;
}

/** A rule put in place or removed (`changed`: something was added or deleted), or why not. */
export type RuleChange = { readonly ok: true; readonly changed: boolean } | { readonly ok: false; readonly error: string };
