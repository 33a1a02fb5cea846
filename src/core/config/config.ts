// The validated configuration the rest of the supervisor works from: effective settings, flags resolved.
import type { AuthKeyKind } from "./secrets/auth-key.ts";
import type { SettingKey } from "./env-schema.ts";
import type { Settings } from "./parse-settings.ts";
import type { RawSetting } from "./read-env.ts";
import type { UpPreference } from "../tailscale/up-flags.ts";

/** The auth key once read (from the env value or its file) and classified. */
export interface AuthKey {
  readonly key: string;
  readonly kind: AuthKeyKind;
  /** The file it was read from, for `file:` values. */
  readonly file?: string;
}

/** Where a setting's value came from: its variable (or an alias), or a flag in the extra arguments. */
export type SettingSource = RawSetting | { readonly state: "set"; readonly variable: string; readonly value: string; readonly flag: string };

/**
 * The effective settings. Flags of TS_EXTRA_ARGS were resolved once, when loading: a flag that a
 * setting stands for (--hostname, --advertise-routes ...) is that setting's value, with the flag as
 * its source; the others are `upPreferences`. Nothing downstream reads the extra arguments again.
 */
export interface Config extends Omit<Settings, "authKey" | "extraArgs"> {
  readonly authKey: AuthKey | undefined;
  /** Flags of TS_EXTRA_ARGS that no setting stands for, in the order given. */
  readonly upPreferences: readonly UpPreference[];
  /** --advertise-exit-node is on. */
  readonly advertiseExitNode: boolean;
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
}
