// The RouterOS commands of this container, by release (routeros-releases.ts): the README's setup and
// its restart and health-check rows (`npm run readme`), the sandbox's mirror of them, and the fix
// texts the supervisor prints (state mount, DNS, return route).
import { groupReleases, type RouterOsRelease } from "./routeros-releases.ts";

/** The names the README's setup uses. */
export const SETUP = {
  veth: "veth-ts",
  envList: "ts",
  mountList: "ts_state",
  stateSrc: "tailscale/state",
  stateDst: "/var/lib/tailscale",
  rootDir: "tailscale/root",
  /** The README's selector of this container in `/container/set`. */
  container: "[find interface=veth-ts]",
  healthCmd: "/usr/local/bin/supervisor health",
} as const;

/** How a fix text names the container, which the supervisor cannot know. */
const SOME_CONTAINER = "<container>";

/** `/container/mounts/add list=ts_state src=tailscale/state dst=/var/lib/tailscale` (`name=` before 7.21). */
export function stateMountCommand(release: RouterOsRelease, dst: string = SETUP.stateDst): string {
  return `/container/mounts/add ${release.mountGroup}=${SETUP.mountList} src=${SETUP.stateSrc} dst=${dst}`;
}

/** `/container/envs/add list=ts key=K value=V` (`name=` before 7.20). */
export function envCommand(release: RouterOsRelease, key: string, value: string): string {
  return `/container/envs/add ${release.envGroup}=${SETUP.envList} key=${key} value=${value}`;
}

/** `/container/add file=FILE interface=veth-ts envlists=ts mountlists=ts_state root-dir=... logging=yes start-on-boot=yes`. */
export function containerAddCommand(release: RouterOsRelease, file: string): string {
  return `/container/add file=${file} interface=${SETUP.veth} ${release.envRef}=${SETUP.envList} ${release.mountRef}=${SETUP.mountList} root-dir=${SETUP.rootDir} logging=yes start-on-boot=yes`;
}

/** The settings that restart the container after the supervisor exits on a failure; undefined when the release has none. */
export function restartCommand(release: RouterOsRelease, container: string = SETUP.container): string | undefined {
  if (release.restart === "auto-restart-interval") return `/container/set ${container} auto-restart-interval=10s`;
  if (release.restart === "restart-policy") return `/container/set ${container} restart-policy=on-failure restart-interval=10s restart-max-count=5`;
  return undefined;
}

/** RouterOS's health check running `health` (7.22+); undefined before. */
export function healthCheckCommand(release: RouterOsRelease, container: string = SETUP.container): string | undefined {
  return release.healthCheck ? `/container/set ${container} healthcheck-cmd="${SETUP.healthCmd}" healthcheck-interval=30s healthcheck-timeout=10s healthcheck-retries=3` : undefined;
}

/** How long `/container/stop` waits (7.21+): longer than TS_STOP_GRACE; undefined before. */
export function stopTimeCommand(release: RouterOsRelease, container: string = SETUP.container): string | undefined {
  return release.stopTime ? `/container/set ${container} stop-time=10s` : undefined;
}

/** The route on the router that leads tailnet addresses to the container. */
export function returnRouteCommand(containerAddress: string): string {
  return `/ip/route/add dst-address=100.64.0.0/10 gateway=${containerAddress}`;
}

/**
 * The RouterOS lines that give `dst` its own persistent mount, per release:
 * `RouterOS 7.21+: /container/mounts/add list=ts_state ...; /container/set <container> mountlists=ts_state; RouterOS 7.20 and before: ...`.
 */
export function describeStateMountFix(dst: string): string {
  const groups = groupReleases((release) => `${stateMountCommand(release, dst)}; /container/set ${SOME_CONTAINER} ${release.mountRef}=${SETUP.mountList}`);
  return groups.reverse().map((group) => `${routerOs(group.label)}: ${group.value}`).join("; ");
}

/** A DNS server for the container: `dns=` on the container itself (no release has it in /container/config). */
export function describeDnsFix(): string {
  const groups = groupReleases(() => `/container/set ${SOME_CONTAINER} dns=<DNS server>`);
  return groups.map((group) => `${routerOs(group.label)}: ${group.value}`).join("; ");
}

/** `RouterOS 7.21+`, or just `RouterOS` for every release. */
function routerOs(label: string): string {
  return label === "every release" ? "RouterOS" : `RouterOS ${label}`;
}

/** Which setting restarts an exited container, per release: `auto-restart-interval on RouterOS 7.20-7.22, restart-policy on 7.23+`. */
export function describeRestartSettings(): string {
  return groupReleases((release) => release.restart)
    .filter((group) => group.value !== "none")
    .map((group, index) => `${group.value} on ${index === 0 ? "RouterOS " : ""}${group.label}`)
    .join(", ");
}
