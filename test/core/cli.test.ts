import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/core/cli.ts";

describe("parseCommandLine", () => {
  it.each([
    { argv: [], kind: "supervise" },
    // The image's CMD (RouterOS 7.22+ needs an explicit command).
    { argv: ["supervise"], kind: "supervise" },
    // RouterOS cmd= set to an entrypoint path, as the older images' guides say: appended to ENTRYPOINT.
    { argv: ["/usr/local/bin/tailscale.sh"], kind: "supervise" },
    { argv: ["/supervisor.mjs"], kind: "supervise" },
    { argv: ["/usr/local/bin/qjs", "/supervisor.mjs"], kind: "supervise" },
    { argv: ["/usr/local/bin/qjs", "/supervisor.mjs", "health"], kind: "health" },
    { argv: ["/supervisor.mjs", "config"], kind: "config" },
    // The image's own entrypoint named again in cmd=.
    { argv: ["/usr/local/bin/supervisor"], kind: "supervise" },
    { argv: ["/usr/local/bin/supervisor", "doctor"], kind: "doctor" },
    { argv: ["config"], kind: "config" },
    { argv: ["health"], kind: "health" },
    { argv: ["doctor", "--json"], kind: "doctor" },
  ])("$argv → $kind", ({ argv, kind }) => {
    expect(parseCommandLine(argv).kind).toBe(kind);
  });

  it.each([
    { argv: ["status"], args: ["status"] },
    { argv: ["supervise", "now"], args: ["supervise", "now"] },
    { argv: ["/usr/local/bin/tailscale.sh", "status", "--json"], args: ["status", "--json"] },
    { argv: ["/bin/sh"], args: ["/bin/sh"] },
  ])("$argv → tailscale $args", ({ argv, args }) => {
    expect(parseCommandLine(argv)).toEqual({ kind: "tailscale", args });
  });
});
