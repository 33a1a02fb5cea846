// The README's RouterOS commands by release, rendered from src/core/routeros (the table the
// supervisor's fix texts use too): the setup per release, and restart, health check and stop per release.
import { containerAddCommand, envCommand, healthCheckCommand, restartCommand, stateMountCommand, stopTimeCommand } from "../../src/core/routeros/container-commands.ts";
import { groupReleases, ROUTEROS_RELEASES, type RouterOsRelease } from "../../src/core/routeros/routeros-releases.ts";

const EXAMPLE_FILE = "tailscale-tiny-arm64.tar";
const EXAMPLE_ENV: ReadonlyArray<readonly [string, string]> = [
  ["TS_AUTHKEY", "tskey-auth-..."],
  ["TS_ROUTES", "192.168.88.0/24"],
  ["TS_CONTAINER_GATEWAY", "172.17.0.1"],
];

function setupLines(release: RouterOsRelease): string[] {
  return [stateMountCommand(release), ...EXAMPLE_ENV.map(([key, value]) => envCommand(release, key, value)), containerAddCommand(release, EXAMPLE_FILE)];
}

/** One code block per group of releases with the same commands, the newest first, each after `RouterOS <label>:`. */
export function renderRouterOsSetup(): string[] {
  const lines: string[] = [];
  for (const group of groupReleases((release) => setupLines(release).join("\n")).reverse()) {
    lines.push(`RouterOS ${group.label}:`, "", "```", group.value, "```", "");
  }
  const inline = groupReleases((release) => release.inlineEnv).find((group) => group.value);
  if (inline !== undefined) lines.push(`RouterOS ${inline.label} also takes variables and mounts on the container itself (\`env=\`, \`mount=\` of \`/container/add\`) instead of lists.`);
  return lines;
}

function restartCell(release: RouterOsRelease): string {
  const command = restartCommand(release);
  if (release.restart === "none") return "none: `start-on-boot=yes` starts it at boot only; after an exit it stays stopped until `/container/start`";
  if (release.restart === "auto-restart-interval") return `\`${command}\` (restarts it 10 s after a failure; whether an exit 0 counts as one is not documented)`;
  return `\`${command}\` (\`no\`, \`always\` or \`on-failure\`: the supervisor exits 0 only on a clean stop; \`auto-restart-interval\` is gone)`;
}

function healthCell(release: RouterOsRelease): string {
  const command = healthCheckCommand(release);
  if (command === undefined) return "none";
  const stop = release.stopOnUnhealthy ? "; `stop-on-unhealthy` exists: leave it off, `health` fails while a login or an outage is waited out, which the supervisor does on purpose" : "";
  return `\`${command}\`${stop}`;
}

function stopCell(release: RouterOsRelease): string {
  const command = stopTimeCommand(release);
  if (command === undefined) return "`stop-signal` only (default 15, SIGTERM: the supervisor stops within `TS_STOP_GRACE`, 5s)";
  return `\`${command}\` (longer than \`TS_STOP_GRACE\`, 5s; the default is not documented)`;
}

/** One row per release: what restarts the container, its health check, how it is stopped. */
export function renderRouterOsLifecycle(): string[] {
  return [
    "| RouterOS | restart after the supervisor exits on a failure | health check (`health`) | stop |",
    "|---|---|---|---|",
    ...ROUTEROS_RELEASES.map((release) => `| ${release.label} | ${restartCell(release)} | ${healthCell(release)} | ${stopCell(release)} |`),
  ];
}
