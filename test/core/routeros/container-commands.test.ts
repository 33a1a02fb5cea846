// The commands made from the release table, checked against the test's own table of forms
// (test/support/routeros-forms.ts): the README's setup, restart, health check and stop rows, and the
// supervisor's fix texts (state mount, DNS, return route).
import { describe, expect, it } from "vitest";
import {
  containerAddCommand,
  describeDnsFix,
  describeRestartSettings,
  describeStateMountFix,
  envCommand,
  healthCheckCommand,
  restartCommand,
  returnRouteCommand,
  stateMountCommand,
  stopTimeCommand,
} from "../../../src/core/routeros/container-commands.ts";
import { ROUTEROS_RELEASES } from "../../../src/core/routeros/routeros-releases.ts";
import { adviseTrouble } from "../../../src/core/supervise/control/trouble-advice.ts";
import { checkCommand, findFixCommands, parseCommand, RELEASES, releasesOf } from "../../support/routeros-forms.ts";

describe("each release's commands use that release's forms", () => {
  it.each(ROUTEROS_RELEASES.map((release) => [release.label, release] as const))("%s", (label, release) => {
    const releases = releasesOf(label) ?? [];
    expect(releases.length).toBeGreaterThan(0);
    const commands = [stateMountCommand(release), envCommand(release, "TS_AUTHKEY", "x"), containerAddCommand(release, "t.tar"), restartCommand(release), healthCheckCommand(release), stopTimeCommand(release)];
    expect(commands.flatMap((command) => (command === undefined ? [] : checkCommand(command, releases)))).toEqual([]);
  });

  it("the release table covers every release of the forms table, each once", () => {
    const covered = ROUTEROS_RELEASES.flatMap((release) => releasesOf(release.label) ?? []);
    expect(covered).toEqual([...RELEASES]);
  });

  it.each([
    ["before 7.20", undefined],
    ["7.20", "auto-restart-interval"],
    ["7.22", "auto-restart-interval"],
    ["7.23+", "restart-policy"],
  ])("%s restarts with %s", (label, setting) => {
    const release = ROUTEROS_RELEASES.find((candidate) => candidate.label === label);
    const command = restartCommand(release!);
    expect(command === undefined ? undefined : parseCommand(command)?.args[0]).toBe(setting);
  });
});

describe("the supervisor's fix texts", () => {
  it("the state mount: each release's own forms, newest first", () => {
    const fix = describeStateMountFix("/var/lib/tailscale");
    expect(fix).toBe(
      "RouterOS 7.21+: /container/mounts/add list=ts_state src=tailscale/state dst=/var/lib/tailscale; /container/set <container> mountlists=ts_state; " +
        "RouterOS 7.20 and before: /container/mounts/add name=ts_state src=tailscale/state dst=/var/lib/tailscale; /container/set <container> mounts=ts_state",
    );
    const uses = findFixCommands(fix);
    expect(uses.map((use) => use.label)).toEqual(["7.21+", "7.21+", "7.20 and before", "7.20 and before"]);
    expect(uses.flatMap((use) => checkCommand(use.command, releasesOf(use.label ?? "") ?? []))).toEqual([]);
  });

  it("DNS: dns= on the container, in every release (there is no /container/config dns)", () => {
    const advice = adviseTrouble("dns", true);
    expect(advice.fix).toContain(describeDnsFix());
    const uses = findFixCommands(advice.fix);
    expect(uses).toEqual([{ command: "/container/set <container> dns=<DNS server>", label: "every release" }]);
    expect(checkCommand(uses[0]!.command, RELEASES)).toEqual([]);
  });

  it("the return route works in every release", () => {
    expect(checkCommand(returnRouteCommand("172.17.0.2"), RELEASES)).toEqual([]);
  });

  it("which setting restarts a container, for TS_EXIT_ON_BOOT_TIMEOUT's description", () => {
    expect(describeRestartSettings()).toBe("auto-restart-interval on RouterOS 7.20-7.22, restart-policy on 7.23+");
  });
});

describe("the test's checker catches the forms a release lacks", () => {
  it.each([
    ["/container/mounts/add list=ts_state src=a dst=/b", "7.20", "RouterOS 7.20 has no /container/mounts/add list="],
    ["/container/add file=a.tar interface=v envlists=ts mountlists=m", "7.20", "RouterOS 7.20 has no /container/add mountlists="],
    ["/container/envs/add list=ts key=K value=V", "before 7.20", "RouterOS 7.19 has no /container/envs/add list="],
    ["/container/config set dns=1.1.1.1", "every release", "RouterOS 7.19 has no /container/config/set dns="],
    ["/container/set 0 auto-restart-interval=10s", "7.23+", "RouterOS 7.23 has no /container/set auto-restart-interval="],
    ["/container/set 0 healthcheck-cmd=\"a b\"", "7.21", "RouterOS 7.21 has no /container/set healthcheck-cmd="],
    ["/container/set 0 restart-policy=on-failure", "7.20-7.22", "RouterOS 7.20 has no /container/set restart-policy="],
    ["/container/envs/set 0 list=x", "7.21", "/container/envs/set is not in the test's table of forms"],
  ])("%s in %s", (command, label, problem) => {
    expect(checkCommand(command, releasesOf(label) ?? []).join("\n")).toContain(problem);
  });
});
