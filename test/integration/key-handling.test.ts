// Issue 18, items 2, 3, 5 and 6 with the committed bundle under the real qjs as a real PID 1 and the
// fake tailscaled/tailscale of test/support/fake-bin: a key tailscaled prints across the log relay's
// 4096-character cut and in a held-back line's example; the key in no child's environment and in no
// argv (on the CLI's stdin instead); a printed refusal the LocalAPI does not confirm stops nothing.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAKE_BIN, pollFor, startSupervisorInNamespace } from "../support/pid1.ts";

// A Headscale key of the older form: 48 hexadecimal characters, no prefix a pattern could catch.
const HEX_KEY = "5eb0a1c9d2e34f5061728394a5b6c7d8e9fa0b1c2d3e4f50";
const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.SECRETIDTOKEN.sig";

/** Every run of 12 characters of `secret`: a part of it in the output is a leak too. */
function expectNoPart(text: string, secret: string): void {
  expect(text).not.toContain(secret);
  for (let at = 0; at + 12 <= secret.length; at += 1) expect(text, `part ${secret.slice(at, at + 12)}`).not.toContain(secret.slice(at, at + 12));
}

describe("a key tailscaled prints", () => {
  it("across the 4096-character cut of a long line and in the example of a held-back line: redacted where the lines enter, no part of it in the output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "key-print-"));
    writeFileSync(join(dir, "secret"), HEX_KEY);
    const run = startSupervisorInNamespace({ TS_AUTHKEY: HEX_KEY, TS_LOGIN_SERVER: "http://127.0.0.1:9", FAKE_TAILSCALED: "print-secret" }, { dir });
    await run.waitFor(/control server reachable again/, 15_000);
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    const output = run.output();
    expectNoPart(output, HEX_KEY);
    // The long line came through in pieces, the key in none of them; the example shows the redaction.
    expect(output).toMatch(/INFO tailscaled: x{100,}/);
    expect(output).toContain("[REDACTED] end");
    expect(output).toMatch(/notLogged="1 like '\\t\\t\\"AuthKey\\": \\"\[REDACTED\]\\"'"/);
  });
});

describe("the key in no child's environment and no argv", () => {
  it("tailscaled, the CLI, a probe and STARTUP_SCRIPT: /proc/PID/environ holds no key, no ID token; the key reaches tailscale up on its stdin", async () => {
    const dir = mkdtempSync(join(tmpdir(), "key-environ-"));
    // A bin dir of the test's own: the fakes, and an `ip` that records its environment (the
    // diagnostics of the refusal run `ip route` and `ip rule`).
    const bin = join(dir, "bin");
    const ip = `#!/bin/sh\ntr '\\0' '\\n' </proc/$$/environ >>"${dir}/ip.environ"\nexit 0\n`;
    mkdirSync(bin);
    for (const name of ["tailscaled", "tailscale"]) symlinkSync(join(FAKE_BIN, name), join(bin, name));
    writeFileSync(join(bin, "ip"), ip);
    chmodSync(join(bin, "ip"), 0o755);
    const hook = join(dir, "startup.sh");
    writeFileSync(hook, `#!/bin/sh\ntr '\\0' '\\n' </proc/$$/environ >"${dir}/hook.environ"\n`, { mode: 0o755 });
    const run = startSupervisorInNamespace(
      { TS_AUTHKEY: HEX_KEY, TS_EXTRA_ARGS: `--advertise-tags=tag:router --id-token=${ID_TOKEN}`, STARTUP_SCRIPT: hook, MY_COPY: `authkey=${HEX_KEY}`, FAKE_TAILSCALED: "reject" },
      { dir, binDir: bin },
    );
    expect((await run.exit()).exitCode).toBe(1);
    const environ = (file: string): string => readFileSync(join(dir, file), "utf8");
    for (const file of ["tailscaled.environ", "tailscale.environ", "ip.environ", "hook.environ"]) {
      expectNoPart(environ(file), HEX_KEY);
      expectNoPart(environ(file), ID_TOKEN);
    }
    // What each was given: tailscaled and the CLI the container's environment without ours; a probe PATH only; a hook ours, redacted.
    expect(environ("tailscaled.environ")).toContain(`FAKE_DIR=${dir}`);
    expect(environ("tailscaled.environ")).not.toMatch(/^(TS_AUTHKEY|TS_EXTRA_ARGS|MY_COPY)=/m);
    // `ip route` and `ip rule` of the diagnostics: PATH and nothing else, each time.
    const probeEnviron = environ("ip.environ").trim().split("\n");
    expect(probeEnviron.length).toBeGreaterThanOrEqual(1);
    for (const line of probeEnviron) expect(line).toMatch(/^PATH=/);
    expect(environ("hook.environ")).toContain("TS_EXTRA_ARGS=--advertise-tags=tag:router --id-token=[REDACTED]");
    expect(environ("hook.environ")).not.toMatch(/^TS_AUTHKEY=/m);
    // The CLI got the key on its stdin, and saw it in no argument.
    expect(run.lines("tailscale.runs").join("\n")).not.toContain(HEX_KEY.slice(0, 12));
    expect(run.lines("tailscale.runs").join("\n")).toContain("--auth-key=file:/proc/self/fd/0");
    expect(readFileSync(join(dir, "tailscale.stdin"), "utf8")).toBe(HEX_KEY);
    expectNoPart(run.output(), HEX_KEY);
  });
});

describe("a refusal is confirmed before it stops anything", () => {
  it("a refusal printed while the LocalAPI says Running: a warning, and tailscale goes on", async () => {
    const run = startSupervisorInNamespace({ TS_AUTHKEY: HEX_KEY, FAKE_TAILSCALED: "forged-reject" });
    await run.waitFor(/tailscaled printed a refusal of the key, but its state does not confirm it: not stopping error="invalid pre auth key" state=Running/, 15_000);
    expect(run.output()).not.toContain("failure: auth");
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
  });

  it("a refusal the LocalAPI confirms: exit 1, class auth", async () => {
    const run = startSupervisorInNamespace({ TS_AUTHKEY: HEX_KEY, FAKE_TAILSCALED: "reject" });
    expect((await run.exit()).exitCode).toBe(1);
    await pollFor(() => (run.output().includes("=== tailscale supervisor failure: auth ===") ? true : undefined), 1000);
    expectNoPart(run.output(), HEX_KEY);
  });
});
