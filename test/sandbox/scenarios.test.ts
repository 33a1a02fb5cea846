// `npm start -- --scenario NAME`: the option checked, and one scenario run as a user runs it (its own
// sandbox name), step by step to its end; Ctrl-C then leaves nothing. The scenarios' claims themselves
// are tested with the image in test/image/lan-to-tailnet.test.ts and router-exit-node.test.ts.
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { parseStartOptions } from "../lab/sandbox/options.ts";
import { SCENARIOS } from "../lab/sandbox/scenarios/index.ts";
import { leftovers, tearDown } from "../lab/sandbox/teardown.ts";
import { ROOT } from "../support/qjs.ts";

const name = `sc${process.pid % 100000}`;

describe("npm start -- --scenario", () => {
  afterAll(async () => {
    await tearDown(name, () => undefined);
  }, 120_000);

  it("knows four scenarios; a wrong name, a missing one, or an emulated arch is refused with the fix", () => {
    expect(SCENARIOS.map((scenario) => scenario.name)).toEqual(["lan-masquerade", "exit-node", "router-exit-node", "magic-dns"]);
    expect(parseStartOptions(["--scenario", "exit-node"])).toEqual({ ok: true, options: { variant: "standard", arch: "amd64", keep: false, help: false, scenario: "exit-node" } });
    expect(parseStartOptions(["--scenario=magic-dns"])).toMatchObject({ ok: true, options: { scenario: "magic-dns" } });
    expect(parseStartOptions(["--scenario", "nope"])).toEqual({ ok: false, problems: ["--scenario nope: use one of lan-masquerade, exit-node, router-exit-node, magic-dns"] });
    expect(parseStartOptions(["--scenario"])).toMatchObject({ ok: false, problems: [expect.stringContaining("--scenario (missing)")] });
    expect(parseStartOptions(["--scenario", "magic-dns", "--arch", "arm64"])).toEqual({ ok: false, problems: ["--scenario magic-dns needs kernel TUN networking: leave out --arch arm64 (emulated arches run in userspace networking)"] });
  });

  it("lan-masquerade: the demo, then the client that does not accept routes failing, the container restarted with TS_LAN_MASQUERADE=true (the RouterOS commands shown), and working; Ctrl-C leaves nothing", async () => {
    const child = execa("npm", ["start", "--", "--scenario", "lan-masquerade"], { cwd: ROOT, env: { TS_SANDBOX_NAME: name }, detached: true, reject: false, all: true, buffer: false, stdin: "ignore" });
    let output = "";
    child.all?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    const deadline = Date.now() + 600_000;
    while (!output.includes("Try, in another terminal") && !output.includes("FAILED") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const shown = output.split("\n").filter((line) => !line.includes("container,info")).join("\n");
    expect(shown).not.toContain("FAILED");
    expect(shown).toMatch(/\[8\/10\] a second tailnet client that does NOT accept routes[^\n]*\n {6}client2 (100\.64\.\S+) up[^\n]*\n {6}-- {2}LAN host 192\.168\.88\.10 -> client2 \1 \(ping\): no answer for 6 s, as expected/);
    expect(shown).toMatch(/\[9\/10\] TS_LAN_MASQUERADE=true[^\n]*\n {6}\/container\/stop \[find interface=veth-ts\]\n {6}\/container\/envs\/add list=ts key=TS_LAN_MASQUERADE value=true\n {6}\/container\/start \[find interface=veth-ts\]\n {6}Running again: masquerade="on \(IPv4, IPv6; legacy\)"/);
    expect(shown).toMatch(/\[10\/10\] the LAN host reaches client2 now:\n {6}ok {2}LAN host 192\.168\.88\.10 -> client2 \S+ \(ping\): ping answered in [\d.]+ ms\n {6}ok {2}LAN host 192\.168\.88\.10 -> client2 \S+ \(HTTP\): client2 saw the request come from 100\.64\.\S+/);
    process.kill(-(child.pid ?? 0), "SIGINT");
    await child;
    expect(output).toMatch(/Sandbox \S+ removed: no namespaces, containers or processes of it are left\./);
    expect(await leftovers(name)).toEqual([]);
  }, 700_000);
});
