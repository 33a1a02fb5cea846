// Issue 9, acceptance: random environments (test/support/random-environments.ts) through the
// configuration: `config` exits 0 or 78, nothing throws, no secret marker in any output, plain output is
// printable ASCII, every JSON line parses; `config --json` and `doctor --json` print one JSON document. A sample of the
// same environments runs through the committed bundle under qjs, with the same rules and exit codes.
import fc from "fast-check";
import { execa } from "execa";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/core/run.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import { expectOutputRules } from "../../support/output-rules.ts";
import { randomCase, type RandomCase } from "../../support/random-environments.ts";
import { runBundle } from "../../support/qjs.ts";
import { IN_MUTATION_RUN, propertyRuns } from "../../support/mutation-run.ts";

async function runCore(argv: string[], testCase: RandomCase) {
  const host = createFakeHost({ argv, env: testCase.env, files: testCase.files });
  const outcome = await host.drive(runCli(host));
  return { exitCode: outcome.exitCode, stdout: host.stdout(), stderr: host.stderr() };
}

const formatOf = (testCase: RandomCase) => (testCase.env["LOG_FORMAT"] === "json" ? "json" : "plain");

describe("random environments through the configuration", () => {
  it("config: exit 0 or 78, no exception, no secret, ASCII or JSON lines", async () => {
    await fc.assert(
      fc.asyncProperty(randomCase, async (testCase) => {
        const result = await runCore(["config"], testCase);
        expect([0, 78]).toContain(result.exitCode);
        expect(result.stderr).not.toContain("unexpected failure");
        expectOutputRules(result, { format: formatOf(testCase), secrets: testCase.secrets });
      }),
      { numRuns: propertyRuns(400) },
    );
  }, 600_000);

  it("config --json: one JSON document on stdout, no secret; exit 0 or 78 as config", async () => {
    await fc.assert(
      fc.asyncProperty(randomCase, async (testCase) => {
        const result = await runCore(["config", "--json"], testCase);
        expect(result.exitCode).toBe((await runCore(["config"], testCase)).exitCode);
        expect(result.stderr).not.toContain("unexpected failure");
        expect(result.stdout.trim().split("\n")).toHaveLength(1);
        expect((JSON.parse(result.stdout) as { ok: boolean }).ok).toBe(result.exitCode === 0);
        expectOutputRules(result, { format: formatOf(testCase), secrets: testCase.secrets, jsonStdout: true });
      }),
      { numRuns: propertyRuns(200) },
    );
  }, 600_000);

  it("doctor --json: one JSON document on stdout, no secret", async () => {
    await fc.assert(
      fc.asyncProperty(randomCase, async (testCase) => {
        const result = await runCore(["doctor", "--json"], testCase);
        expect([0, 1, 78]).toContain(result.exitCode);
        expect(result.stderr).not.toContain("unexpected failure");
        expect(result.stdout.trim().split("\n")).toHaveLength(1);
        expectOutputRules(result, { format: formatOf(testCase), secrets: testCase.secrets, jsonStdout: true });
      }),
      { numRuns: propertyRuns(100) },
    );
  }, 600_000);
});

/**
 * The kernel refuses an exec whose environment holds a string over MAX_ARG_STRLEN (128 KiB with
 * `NAME=` and its NUL): a 64 K-character value of non-ASCII characters is up to 256 KiB in UTF-8.
 */
const MAX_ENV_STRING_BYTES = 128 * 1024 - 1;

/** `value` cut (at a character boundary) so that `name=value` fits in one environment string. */
function fitEnvString(name: string, value: string): string {
  let fitted = value;
  while (Buffer.byteLength(`${name}=${fitted}`) > MAX_ENV_STRING_BYTES) fitted = Array.from(fitted).slice(0, Math.floor(Array.from(fitted).length * 0.9)).join("");
  return fitted;
}

/** The case as a process can be given it: no NUL, no `=` in names, strings the kernel takes; key files written to `dir`. */
async function toProcessCase(testCase: RandomCase, dir: string): Promise<RandomCase> {
  const clean = (text: string) => text.replace(/\u0000/g, "_");
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(testCase.env)) if (name !== "" && !name.includes("=")) env[clean(name)] = fitEnvString(clean(name), clean(value).replace("file:/run/secrets/key", `file:${dir}/key`));
  const key = testCase.files["/run/secrets/key"];
  if (typeof key === "string") writeFileSync(join(dir, "key"), key);
  else if (key?.kind === "fifo") await execa("mkfifo", [join(dir, "key")]);
  else if (key?.kind === "directory") mkdirSync(join(dir, "key"));
  return { env, files: typeof key === "string" ? { [`${dir}/key`]: key } : key === undefined ? {} : { [`${dir}/key`]: key }, secrets: testCase.secrets };
}

describe.skipIf(IN_MUTATION_RUN)("a sample of them through the committed bundle under qjs", () => {
  const sample = fc.sample(randomCase, 30);
  it.each(sample.map((testCase, index) => [index, testCase] as const))("environment %i", async (_, testCase) => {
    const processCase = await toProcessCase(testCase, mkdtempSync(join(tmpdir(), "config-property-")));
    const qjs = await runBundle(["config"], processCase.env);
    expect([0, 78]).toContain(qjs.exitCode);
    expectOutputRules(qjs, { format: formatOf(processCase), secrets: processCase.secrets });
    // config --json under qjs: one parsable document, no secret, the same exit.
    const json = await runBundle(["config", "--json"], processCase.env);
    expect(json.exitCode).toBe(qjs.exitCode);
    expect((JSON.parse(json.stdout) as { ok: boolean }).ok).toBe(qjs.exitCode === 0);
    expectOutputRules(json, { format: formatOf(processCase), secrets: processCase.secrets, jsonStdout: true });
    // The same exit under Node (the core on the fake host) as under qjs (the bundle).
    expect(qjs.exitCode).toBe((await runCore(["config"], { ...processCase, env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", ...processCase.env } })).exitCode);
  }, 30_000);
});
