// docker/release/lib/versions.mjs: which tailscale.com version is the newest stable one, and which Go release a
// go line asks for, from the Go module proxy's version lists.
import { describe, expect, it } from "vitest";
import { compareVersions, newestGoRelease, newestStableTailscale } from "../../docker/release/lib/versions.mjs";

describe("versions from the Go module proxy's lists", () => {
  it.each([
    ["v1.98.0 v1.100.0 v1.102.3 v1.102.10 v1.102.9", "v1.102.10"],
    // Odd minors are Tailscale's unstable track; pre-releases and pseudo-versions are not releases.
    ["v1.102.3 v1.103.0 v1.103.1", "v1.102.3"],
    ["v1.102.3\nv1.104.0-pre\nv1.104.0-pre.0.20260904030409-31d8badb3bfb\n", "v1.102.3"],
    ["v1.100.0 v1.98.12", "v1.100.0"],
    ["v1.101.0 v1.103.2", undefined],
    ["", undefined],
  ])("newestStableTailscale(%j) = %s", (list, expected) => {
    expect(newestStableTailscale(list)).toBe(expected);
  });

  it.each([
    ["v1.102.3", "v1.102.3", 0],
    ["v1.102.10", "v1.102.9", 1],
    ["v1.98.0", "v1.100.0", -1],
    ["1.27", "1.26.8", 1],
    ["1.27", "1.27.0", 0],
  ])("compareVersions(%s, %s) has the sign %d", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it.each([
    ["1.27.4", "1.27.6"],
    ["1.27", "1.27.6"],
    ["1.26.8", "1.26.9"],
    ["1.28.0", undefined],
  ])("newestGoRelease(toolchains, %s) = %s", (goLine, expected) => {
    const list = ["1.26.8", "1.26.9", "1.27.0", "1.27.4", "1.27.6", "1.27.6", "1.28rc1"].flatMap((version) => [`v0.0.1-go${version}.linux-amd64`, `v0.0.1-go${version}.darwin-arm64`]).join("\n");
    expect(newestGoRelease(list, goLine)).toBe(expected);
  });
});
