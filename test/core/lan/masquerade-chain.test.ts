import { describe, expect, it } from "vitest";
import { ensureMasquerade, hasMasqueradeChain, removeMasquerade } from "../../../src/core/lan/masquerade-chain.ts";
import { createFakeRunner } from "../../fakes/fake-runner.ts";

const LIMITS = { timeoutMs: 1000, lockWaitS: 5 };
const V4 = "iptables-legacy -w 5 -t nat";

describe("ensureMasquerade", () => {
  it("does nothing more when the jump is there (-C)", async () => {
    const runner = createFakeRunner();
    expect(await ensureMasquerade(runner, "legacy", 4, LIMITS)).toEqual({ ok: true, changed: false });
    expect(runner.ran).toEqual([`${V4} -C POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ`]);
  });

  it("otherwise makes (or empties) the chain, adds MASQUERADE, then the jump out of tailscale0; in the backend and family asked for", async () => {
    const runner = createFakeRunner((command) => (command.includes(" -C ") ? { code: 1, stderr: "iptables: Bad rule" } : command.includes(" -N ") ? { code: 1, stderr: "Chain already exists." } : undefined));
    expect(await ensureMasquerade(runner, "nft", 6, LIMITS)).toEqual({ ok: true, changed: true });
    const v6 = "ip6tables-nft -w 5 -t nat";
    expect(runner.ran).toEqual([
      `${v6} -C POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ`,
      `${v6} -N TS-SUPERVISOR-MASQ`,
      `${v6} -F TS-SUPERVISOR-MASQ`,
      `${v6} -A TS-SUPERVISOR-MASQ -j MASQUERADE`,
      `${v6} -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ`,
    ]);
  });

  it("stops at the first step that fails, with the command and its words", async () => {
    const runner = createFakeRunner((command) => (command.includes(" -C ") ? { code: 1 } : command.includes("-j MASQUERADE") ? { code: 2, stderr: "Couldn't load target `MASQUERADE'" } : undefined));
    expect(await ensureMasquerade(runner, "legacy", 4, LIMITS)).toEqual({ ok: false, error: `${V4} -A TS-SUPERVISOR-MASQ -j MASQUERADE: Couldn't load target \`MASQUERADE'` });
    expect(runner.ran.at(-1)).toBe(`${V4} -A TS-SUPERVISOR-MASQ -j MASQUERADE`);
  });

  it("a command that timed out is a failure that says so", async () => {
    const runner = createFakeRunner(() => ({ failure: "timed-out" }));
    expect(await ensureMasquerade(runner, "legacy", 4, LIMITS)).toMatchObject({ ok: false, error: expect.stringContaining("timed-out") });
  });
});

describe("removeMasquerade", () => {
  it("deletes every jump (bounded), then flushes and deletes the chain", async () => {
    let jumps = 2;
    const runner = createFakeRunner((command) => (command.includes(" -D ") ? (jumps-- > 0 ? { code: 0 } : { code: 1 }) : undefined));
    expect(await removeMasquerade(runner, "legacy", 4, LIMITS)).toEqual({ ok: true, changed: true });
    expect(runner.ran).toEqual([...Array(3).fill(`${V4} -D POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ`), `${V4} -F TS-SUPERVISOR-MASQ`, `${V4} -X TS-SUPERVISOR-MASQ`]);
  });

  it("nothing there: no error, nothing changed", async () => {
    const runner = createFakeRunner(() => ({ code: 1, stderr: "No chain/target/match by that name." }));
    expect(await removeMasquerade(runner, "legacy", 4, LIMITS)).toEqual({ ok: true, changed: false });
  });

  it("a chain that cannot be deleted is an error", async () => {
    const runner = createFakeRunner((command) => (command.includes(" -D ") ? { code: 1 } : command.includes(" -X ") ? { code: 1, stderr: "Device or resource busy" } : undefined));
    expect(await removeMasquerade(runner, "legacy", 4, LIMITS)).toEqual({ ok: false, error: `${V4} -X TS-SUPERVISOR-MASQ: Device or resource busy` });
  });
});

describe("hasMasqueradeChain", () => {
  it.each([
    [0, true],
    [1, false],
  ])("-S CHAIN exiting %s: %s", async (code, expected) => {
    const runner = createFakeRunner(() => ({ code }));
    expect(await hasMasqueradeChain(runner, "legacy", 6, LIMITS)).toBe(expected);
    expect(runner.ran).toEqual(["ip6tables-legacy -w 5 -t nat -S TS-SUPERVISOR-MASQ"]);
  });
});
