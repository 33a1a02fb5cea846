// A valid configuration from an environment, for unit tests of the modules that take a Config.
import type { Config } from "../../src/core/config/config.ts";
import { loadConfig } from "../../src/core/config/load-config.ts";
import type { FakeEntry } from "./fake-files.ts";
import { createFakeHost } from "./fake-host.ts";

/** Loads `env` (files for `file:` keys and scripts); throws with the problems when it is not valid. */
export function configOf(env: Record<string, string>, files: Record<string, string | Partial<FakeEntry>> = {}): Config {
  const load = loadConfig(env, createFakeHost({ env, files }).files);
  if (!load.ok) throw new Error(`the test's configuration is not valid: ${JSON.stringify(load.issues)}`);
  return load.config;
}
