// The release table and its grouping into labelled ranges (the labels the README rows and fix texts use).
import { describe, expect, it } from "vitest";
import { groupReleases, NEWEST_RELEASE, ROUTEROS_RELEASES } from "../../../src/core/routeros/routeros-releases.ts";

describe("ROUTEROS_RELEASES", () => {
  it("runs oldest to newest, the newest holding for every later release", () => {
    expect(ROUTEROS_RELEASES.map((release) => release.label)).toEqual(["before 7.20", "7.20", "7.21", "7.22", "7.23+"]);
    expect(NEWEST_RELEASE.label).toBe("7.23+");
  });

  it.each([
    ["before 7.20", "name", "envlist", "name", "mounts", "none"],
    ["7.20", "list", "envlists", "name", "mounts", "auto-restart-interval"],
    ["7.21", "list", "envlists", "list", "mountlists", "auto-restart-interval"],
    ["7.23+", "list", "envlists", "list", "mountlists", "restart-policy"],
  ])("%s: envs %s=, %s=; mounts %s=, %s=; restart %s", (label, envGroup, envRef, mountGroup, mountRef, restart) => {
    expect(ROUTEROS_RELEASES.find((release) => release.label === label)).toMatchObject({ envGroup, envRef, mountGroup, mountRef, restart });
  });
});

describe("groupReleases", () => {
  it("labels runs of equal answers as ranges", () => {
    expect(groupReleases((release) => release.mountGroup).map(({ label, value }) => [label, value])).toEqual([
      ["7.20 and before", "name"],
      ["7.21+", "list"],
    ]);
    expect(groupReleases((release) => release.restart).map(({ label, value }) => [label, value])).toEqual([
      ["before 7.20", "none"],
      ["7.20-7.22", "auto-restart-interval"],
      ["7.23+", "restart-policy"],
    ]);
    expect(groupReleases(() => "same").map(({ label }) => label)).toEqual(["every release"]);
  });

  it("keeps every release in exactly one group, in order", () => {
    const groups = groupReleases((release) => release.healthCheck);
    expect(groups.flatMap((group) => group.releases)).toEqual(ROUTEROS_RELEASES);
    expect(groups.map(({ label }) => label)).toEqual(["7.21 and before", "7.22+"]);
  });
});
