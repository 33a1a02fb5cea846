// The README's generated parts must say what the code says: the env table (env-schema.ts), the flags
// of TS_EXTRA_ARGS (up-flags.ts) and the boolean words (value-parsers.ts). `npm run readme` rewrites
// them from the code; this test fails when the README was not rewritten.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec } from "../src/core/config/env-schema.ts";
import { FALSE_WORDS, parseBoolean, TRUE_WORDS } from "../src/core/config/values/value-parsers.ts";
import { TAILSCALED_FLAGS } from "../src/core/tailscale/tailscaled-flags.ts";
import { UP_FLAGS, type UpFlag } from "../src/core/tailscale/up-flags.ts";
import { COMMAND_TIMEOUTS } from "../src/core/process/command-timeouts.ts";
import { FAILURE_CLASS_MEANINGS } from "../src/core/supervise/diagnostics/failure-classes.ts";
import { RUNTIME_DIR_CANDIDATES, RUNTIME_DIR_NAME } from "../src/core/supervise/state/runtime-dir.ts";
import { ROOT } from "./support/qjs.ts";
import { checkCommand, findCommands, RELEASES, releasesOf } from "./support/routeros-forms.ts";
import { renderRouterOsLifecycle, renderRouterOsSetup } from "./support/routeros-readme.ts";

const README = `${ROOT}README.md`;

function renderEnvTable(): string[] {
  return [
    "| variable | also accepted | default | meaning |",
    "|---|---|---|---|",
    ...SETTING_KEYS.map((key) => {
      const spec: EnvVarSpec<unknown> = ENV_VARS[key];
      return `| \`${spec.name}\` | ${spec.aliases.map((alias) => `\`${alias}\``).join(", ")} | ${spec.defaultText} | ${spec.description} |`;
    }),
  ];
}

function describeTarget(flag: UpFlag): string {
  const target = flag.target;
  switch (target.kind) {
    case "config":
      return `config file field \`${target.field}\`${target.onlyIf === undefined ? "" : ` (${target.onlyIf.otherwise}; otherwise \`tailscale up\` at every start)`}`;
    case "setting":
      return `the value of \`${target.variable}\` (an error when that is set to something else)`;
    case "cli-only":
      return "`tailscale up` at every start (no config-file field)";
    case "fixed":
      return `accepted as \`${target.value}\` only: ${target.why}`;
    case "refused":
      return `refused: ${target.why} (${target.fix})`;
  }
}

function renderFlagsTable(): string[] {
  return [
    "| flag | value | takes effect as | needs the feature |",
    "|---|---|---|---|",
    ...UP_FLAGS.map((flag) => `| \`--${flag.name}\` | ${flag.kind === "bool" ? "boolean" : flag.kind}${flag.secret === true ? ", secret" : ""} | ${describeTarget(flag)} | ${flag.feature === undefined ? "" : `\`${flag.feature}\``} |`),
  ];
}

function renderTailscaledFlagsTable(): string[] {
  return [
    "| flag | value | |",
    "|---|---|---|",
    ...TAILSCALED_FLAGS.map((flag) => `| \`--${flag.name}\` | ${flag.kind === "bool" ? "boolean" : "value"} | ${flag.refused !== undefined ? `refused: ${flag.refused.why} (${flag.refused.fix})` : flag.feature !== undefined ? `needs the \`${flag.feature}\` feature` : "passed on"} |`),
  ];
}

function renderBooleanWords(): string[] {
  const words = (list: readonly string[]) => list.map((word) => `\`${word}\``).join("/");
  return [`Booleans take ${words(TRUE_WORDS)} and ${words(FALSE_WORDS)}, in any case, with spaces around ignored (\`TRUE\`, \` true \`); anything else is an error.`];
}

function renderCommandTimeouts(): string[] {
  const seconds = (ms: number): string => `${ms / 1000} s`;
  return [
    "| commands | time limit |",
    "|---|---|",
    ...Object.values(COMMAND_TIMEOUTS).map((timeout) => `| ${timeout.commands} | ${seconds(timeout.ms)} |`),
    `| \`STARTUP_SCRIPT\`, \`RUNNING_SCRIPT\` | \`TS_SCRIPT_TIMEOUT\` (${ENV_VARS.scriptTimeout.defaultText}) |`,
  ];
}

function renderFailureClasses(): string[] {
  return ["| class | when |", "|---|---|", ...Object.entries(FAILURE_CLASS_MEANINGS).map(([name, meaning]) => `| \`${name}\` | ${meaning} |`)];
}

function renderRuntimeDir(): string[] {
  const places = RUNTIME_DIR_CANDIDATES.map((dir) => `\`${dir}\``).join(", ");
  return [
    `   \`${RUNTIME_DIR_NAME}\` in the first of ${places} that is a tmpfs; with none, \`/tmp/${RUNTIME_DIR_NAME}\` on the container's disk,`,
    "   where nothing secret is written (the key then reaches `tailscale up` through a pipe, never its command line).",
  ];
}

const BLOCKS: ReadonlyArray<{ readonly name: string; readonly source: string; readonly render: () => string[] }> = [
  { name: "env-table", source: "src/core/config/env-schema.ts", render: renderEnvTable },
  { name: "boolean-words", source: "src/core/config/values/value-parsers.ts", render: renderBooleanWords },
  { name: "up-flags-table", source: "src/core/tailscale/up-flags.ts", render: renderFlagsTable },
  { name: "tailscaled-flags-table", source: "src/core/tailscale/tailscaled-flags.ts", render: renderTailscaledFlagsTable },
  { name: "command-timeouts", source: "src/core/process/command-timeouts.ts", render: renderCommandTimeouts },
  { name: "failure-classes", source: "src/core/supervise/diagnostics/failure-classes.ts", render: renderFailureClasses },
  { name: "runtime-dir", source: "src/core/supervise/state/runtime-dir.ts", render: renderRuntimeDir },
  { name: "routeros-setup", source: "src/core/routeros/container-commands.ts", render: renderRouterOsSetup },
  { name: "routeros-lifecycle", source: "src/core/routeros/container-commands.ts", render: renderRouterOsLifecycle },
];

/** The README with every generated block rendered from the code. */
function renderReadme(readme: string): string {
  let result = readme;
  for (const block of BLOCKS) {
    const pattern = new RegExp(`<!-- ${block.name}[^>]*-->\\n[\\s\\S]*?<!-- /${block.name} -->`);
    const generated = `<!-- ${block.name}: generated from ${block.source} by \`npm run readme\`; test/readme.test.ts fails when they differ -->\n${block.render().join("\n")}\n<!-- /${block.name} -->`;
    if (!pattern.test(result)) throw new Error(`README.md has no <!-- ${block.name} --> block`);
    result = result.replace(pattern, () => generated);
  }
  return result;
}

describe("README generated parts", () => {
  it("are what the code says (run `npm run readme` after changing it)", () => {
    const readme = readFileSync(README, "utf8");
    const rendered = renderReadme(readme);
    if (process.env["UPDATE_README"] === "1" && rendered !== readme) writeFileSync(README, rendered);
    else expect(readme).toBe(rendered);
  });

  it("the env table lists every variable once, in schema order", () => {
    const rows = renderEnvTable().slice(2).map((row) => /^\| `([A-Z_]+)`/.exec(row)?.[1]);
    expect(rows).toEqual(SETTING_KEYS.map((key) => ENV_VARS[key].name));
  });

  it.each([...TRUE_WORDS, ...FALSE_WORDS, "TRUE", " true ", "False", "\t0\n"])("the boolean words are what parseBoolean takes: %j", (word) => {
    expect(parseBoolean(word, "X").ok).toBe(true);
  });

  it.each(["yes", "on", "t", "2", ""])("and nothing else: %j", (word) => {
    expect(parseBoolean(word, "X").ok).toBe(false);
  });
});

describe("README troubleshooting table", () => {
  it("names every failure class once, and nothing else (a configuration error is not a class)", () => {
    const readme = readFileSync(README, "utf8");
    const table = /<!-- troubleshooting[^>]*-->\n([\s\S]*?)<!-- \/troubleshooting -->/.exec(readme)?.[1] ?? "";
    const classes = table.split("\n").slice(2).filter((row) => row.startsWith("|")).map((row) => /^\| `([a-z-]+)`/.exec(row)?.[1]);
    expect(classes).toEqual(Object.keys(FAILURE_CLASS_MEANINGS));
  });
});

describe("README RouterOS commands (issue 20)", () => {
  // The README's RouterOS part is for 7.20+: a command without a release label must work on all of them.
  const UNLABELLED = RELEASES.filter((release) => release !== "7.19");

  it("every command uses the forms of the release its row or block names (test/support/routeros-forms.ts)", () => {
    const uses = findCommands(readFileSync(README, "utf8"));
    expect(uses.length).toBeGreaterThan(20);
    const problems = uses.flatMap((use) => checkCommand(use.command, use.label === undefined ? UNLABELLED : (releasesOf(use.label) ?? [])));
    expect(problems).toEqual([]);
  });

  it("names every release in a labelled row or block", () => {
    const labelled = new Set(findCommands(readFileSync(README, "utf8")).flatMap((use) => (use.label === undefined ? [] : (releasesOf(use.label) ?? []))));
    expect([...labelled].sort()).toEqual([...RELEASES]);
  });
});
