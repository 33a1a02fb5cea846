// RouterOS's container settings by release: the one table that the supervisor's fix texts and the
// README's RouterOS commands are made from (container-commands.ts; `npm run readme`).
//
// Sources. The argument names: `/console/inspect` of every release from 7.19 to 7.24 (the same within
// each minor line), https://github.com/tikoci/restraml/tree/676c4bdfe211d51e8d48785b2ae2b72f838d20c8/docs
// (<version>/extra/inspect.json); they agree with community.routeros's property lists,
// https://github.com/ansible-collections/community.routeros/blob/86fe25a68ab012d067bc92daf579bd9a754fdc33/plugins/module_utils/_api_data.py
// What auto-restart-interval does ("restarted on Container failure"): the Terraform provider,
// https://github.com/terraform-routeros/terraform-provider-routeros/blob/0d8c069c20a012300dfeeb96cb343ad7a5e7ebfb/routeros/resource_container.go
// restart-policy's values (no, always, on-failure) from the 7.23 changelog as summarised in
// https://github.com/glennswest/mkube/blob/c07a07324ddf2f75147f4d0317d330cde70e9780/docs/routeros-container-changes.md

/** How a release restarts a container that exited. */
export type RestartSetting =
  /** Nothing restarts it; `start-on-boot` starts it at boot only. */
  | "none"
  /** `auto-restart-interval=<time>`: restarted after a failure (whether an exit 0 counts is not documented). */
  | "auto-restart-interval"
  /** `restart-policy=no|always|on-failure`, `restart-interval`, `restart-max-count`. */
  | "restart-policy";

/** One release line and the names its container commands take. */
export interface RouterOsRelease {
  /** How the README and the fix texts name it: `before 7.20`, `7.20` ... `7.23+`. */
  readonly label: string;
  /** `/container/envs/add <envGroup>=ts key=... value=...` (`list=` from 7.20). */
  readonly envGroup: "name" | "list";
  /** `/container/add <envRef>=ts` (`envlists=` from 7.20). */
  readonly envRef: "envlist" | "envlists";
  /** `/container/add env=K=V,...` as well (7.21+). */
  readonly inlineEnv: boolean;
  /** `/container/mounts/add <mountGroup>=ts_state src=... dst=...` (`list=` from 7.21). */
  readonly mountGroup: "name" | "list";
  /** `/container/add <mountRef>=ts_state` (`mountlists=` from 7.21). */
  readonly mountRef: "mounts" | "mountlists";
  readonly restart: RestartSetting;
  /** `healthcheck-cmd`, `-interval`, `-timeout`, `-retries`, `-start-period` (7.22+). */
  readonly healthCheck: boolean;
  /** `stop-on-unhealthy`: stop the container when its health check fails (7.23+). */
  readonly stopOnUnhealthy: boolean;
  /** `stop-time`: how long `/container/stop` waits after `stop-signal` (7.21+; its default is not documented). */
  readonly stopTime: boolean;
}

/** Every release line with its own forms, oldest first; the last one holds for every later release. */
export const ROUTEROS_RELEASES: readonly RouterOsRelease[] = [
  { label: "before 7.20", envGroup: "name", envRef: "envlist", inlineEnv: false, mountGroup: "name", mountRef: "mounts", restart: "none", healthCheck: false, stopOnUnhealthy: false, stopTime: false },
  { label: "7.20", envGroup: "list", envRef: "envlists", inlineEnv: false, mountGroup: "name", mountRef: "mounts", restart: "auto-restart-interval", healthCheck: false, stopOnUnhealthy: false, stopTime: false },
  { label: "7.21", envGroup: "list", envRef: "envlists", inlineEnv: true, mountGroup: "list", mountRef: "mountlists", restart: "auto-restart-interval", healthCheck: false, stopOnUnhealthy: false, stopTime: true },
  { label: "7.22", envGroup: "list", envRef: "envlists", inlineEnv: true, mountGroup: "list", mountRef: "mountlists", restart: "auto-restart-interval", healthCheck: true, stopOnUnhealthy: false, stopTime: true },
  { label: "7.23+", envGroup: "list", envRef: "envlists", inlineEnv: true, mountGroup: "list", mountRef: "mountlists", restart: "restart-policy", healthCheck: true, stopOnUnhealthy: true, stopTime: true },
];

/** The newest release line (what the sandbox mirrors). */
export const NEWEST_RELEASE = ROUTEROS_RELEASES[ROUTEROS_RELEASES.length - 1] as RouterOsRelease;

/**
 * The release lines grouped where `same` gives the same answer, labelled as a range: `7.21+`,
 * `7.20 and before`, `7.20-7.22`, `7.20`, `every release`.
 */
export function groupReleases<T>(same: (release: RouterOsRelease) => T): Array<{ readonly label: string; readonly value: T; readonly releases: readonly RouterOsRelease[] }> {
  const groups: Array<{ value: T; releases: RouterOsRelease[] }> = [];
  for (const release of ROUTEROS_RELEASES) {
    const value = same(release);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.value === value) last.releases.push(release);
    else groups.push({ value, releases: [release] });
  }
  return groups.map((group) => ({ ...group, label: labelRange(group.releases) }));
}

function labelRange(releases: readonly RouterOsRelease[]): string {
  const first = releases[0] as RouterOsRelease;
  const last = releases[releases.length - 1] as RouterOsRelease;
  if (first === last) return first.label;
  if (first === ROUTEROS_RELEASES[0] && last === NEWEST_RELEASE) return "every release";
  if (last === NEWEST_RELEASE) return `${first.label.replace(/\+$/, "")}+`;
  if (first === ROUTEROS_RELEASES[0]) return `${last.label} and before`;
  return `${first.label}-${last.label}`;
}
