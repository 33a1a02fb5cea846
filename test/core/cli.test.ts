import { describe, expect, it } from "vitest";
import { COMMAND_OPTIONS, describeOptions, parseCommandLine } from "../../src/core/cli.ts";

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
    { argv: ["health", "--explain"], kind: "health" },
    { argv: ["logs"], kind: "logs" },
    { argv: ["/supervisor.mjs", "logs", "-f"], kind: "logs" },
  ])("$argv → $kind", ({ argv, kind }) => {
    expect(parseCommandLine(argv).kind).toBe(kind);
  });

  it.each([
    { argv: ["config"], json: false },
    { argv: ["config", "--json"], json: true },
    { argv: ["/usr/local/bin/qjs", "/supervisor.mjs", "config", "--json"], json: true },
  ])("$argv → config, json $json", ({ argv, json }) => {
    expect(parseCommandLine(argv)).toEqual({ kind: "config", json });
  });

  // Only a first word that is not a command of the supervisor goes to tailscale.
  it.each([
    { argv: ["status"], args: ["status"] },
    { argv: ["version"], args: ["version"] },
    { argv: ["/usr/local/bin/tailscale.sh", "status", "--json"], args: ["status", "--json"] },
    { argv: ["/bin/sh"], args: ["/bin/sh"] },
    { argv: ["--json", "config"], args: ["--json", "config"] },
    { argv: ["toString"], args: ["toString"] },
  ])("$argv → tailscale $args", ({ argv, args }) => {
    expect(parseCommandLine(argv)).toEqual({ kind: "tailscale", args });
  });

  // Issue 20: `config --json` was passed to tailscale, `supervise now` too.
  it.each([
    { argv: ["supervise", "now"], command: "supervise", unknown: ["now"] },
    { argv: ["supervise", "--json"], command: "supervise", unknown: ["--json"] },
    { argv: ["config", "--fix"], command: "config", unknown: ["--fix"] },
    { argv: ["config", "--json", "-v", "x"], command: "config", unknown: ["-v", "x"] },
    { argv: ["doctor", "--frobnicate"], command: "doctor", unknown: ["--frobnicate"] },
    { argv: ["health", "--json"], command: "health", unknown: ["--json"] },
    { argv: ["/supervisor.mjs", "health", "now"], command: "health", unknown: ["now"] },
  ])("$argv → unknown option of $command: $unknown", ({ argv, command, unknown }) => {
    expect(parseCommandLine(argv)).toEqual({ kind: "unknown-option", command, unknown });
  });
});

describe("describeOptions", () => {
  it.each([
    ["supervise", "supervise takes no options"],
    ["config", "config takes --json"],
    ["doctor", "doctor takes --json, --fix"],
    ["health", "health takes --explain"],
    ["logs", "logs takes -f, --follow"],
  ] as const)("%s: %s", (command, text) => {
    expect(describeOptions(command)).toBe(text);
  });

  it("every command's options are accepted", () => {
    for (const [command, options] of Object.entries(COMMAND_OPTIONS)) for (const option of options) expect(parseCommandLine([command, option]).kind).toBe(command);
  });

  it("health --explain asks for the reasons; logs -f follows", () => {
    expect(parseCommandLine(["health"])).toEqual({ kind: "health", explain: false });
    expect(parseCommandLine(["health", "--explain"])).toEqual({ kind: "health", explain: true });
    expect(parseCommandLine(["logs", "-f"])).toEqual({ kind: "logs", args: ["-f"] });
  });
});
