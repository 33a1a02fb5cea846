// The validated configuration the rest of the supervisor works from.
import type { AuthKeyKind } from "./auth-key.ts";
import type { SettingKey } from "./env-schema.ts";
import type { Settings } from "./parse-settings.ts";
import type { RawSetting } from "./read-env.ts";

/** The auth key once read (from the env value or its file) and classified. */
export interface AuthKey {
  readonly key: string;
  readonly kind: AuthKeyKind;
  /** The file it was read from, for `file:` values. */
  readonly file?: string;
}

/** Settings with the auth key resolved, and where each value came from. */
export interface Config extends Omit<Settings, "authKey"> {
  readonly authKey: AuthKey | undefined;
  readonly sources: Readonly<Record<SettingKey, RawSetting>>;
}
