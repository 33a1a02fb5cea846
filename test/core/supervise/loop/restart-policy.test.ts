// When tailscaled dies: the backoff, the reset after a healthy run, the permanent exits, and giving up.
import { describe, expect, it } from "vitest";
import { decideRestart, DEFAULT_RESTART_POLICY, EMPTY_HISTORY, type RestartHistory } from "../../../../src/core/supervise/loop/restart-policy.ts";

const exited = (code: number) => ({ kind: "exited", code }) as const;

describe("decideRestart", () => {
  it("backs off 1, 2, 4 ... capped at 60 s while deaths are spread out", () => {
    let history: RestartHistory = EMPTY_HISTORY;
    const delays: number[] = [];
    for (let death = 0; death < 9; death += 1) {
      const now = death * 100_000;
      const decision = decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), now - 30_000, now);
      if (decision.kind !== "restart") throw new Error("gave up");
      delays.push(decision.delayMs);
      history = decision.history;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it("gives up at the 5th death within 60 s", () => {
    let history: RestartHistory = EMPTY_HISTORY;
    const kinds: string[] = [];
    for (let death = 0; death < 5; death += 1) {
      const decision = decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), death * 1000, death * 1000 + 10);
      kinds.push(decision.kind);
      if (decision.kind === "restart") history = decision.history;
    }
    expect(kinds).toEqual(["restart", "restart", "restart", "restart", "give-up"]);
  });

  it("counts deaths on tailscaled's running time: the waits between restarts do not count, deaths 60 s of running apart do not add up", () => {
    const history: RestartHistory = { deathUptimesMs: [0, 10_000, 20_000, 30_000], uptimeMs: 30_000, nextDelayMs: 16_000 };
    // 29.999 s more running: the first death is still within the window (5 deaths).
    expect(decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), 0, 29_999)).toEqual({ kind: "give-up", reason: "too-many-deaths", deaths: 5 });
    // 30 s more: the first one falls out (4 deaths, the oldest one dropped from the history).
    expect(decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), 0, 30_000)).toEqual({
      kind: "restart",
      delayMs: 16_000,
      history: { deathUptimesMs: [10_000, 20_000, 30_000, 60_000], uptimeMs: 60_000, nextDelayMs: 32_000 },
    });
    // A clock that went back counts as no running time.
    expect(decideRestart(DEFAULT_RESTART_POLICY, EMPTY_HISTORY, exited(1), 5000, 1000)).toMatchObject({ kind: "restart", history: { uptimeMs: 0, deathUptimesMs: [0] } });
  });

  it.each([126, 127])("exit %i is permanent", (code) => {
    expect(decideRestart(DEFAULT_RESTART_POLICY, EMPTY_HISTORY, exited(code), 0, 10)).toEqual({ kind: "give-up", reason: "permanent", deaths: 1 });
  });

  it.each([
    [exited(0)],
    [exited(1)],
    [exited(125)],
    [exited(128)],
    [{ kind: "killed", signal: 126 } as const],
  ])("%j is not permanent: restart after 1 s", (status) => {
    expect(decideRestart(DEFAULT_RESTART_POLICY, EMPTY_HISTORY, status, 0, 10)).toEqual({ kind: "restart", delayMs: 1000, history: { deathUptimesMs: [10], uptimeMs: 10, nextDelayMs: 2000 } });
  });

  it("resets to 1 s after a healthy run", () => {
    const history: RestartHistory = { deathUptimesMs: [], uptimeMs: 0, nextDelayMs: 32_000 };
    expect(decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), 0, 60_000)).toMatchObject({ kind: "restart", delayMs: 1000 });
    expect(decideRestart(DEFAULT_RESTART_POLICY, history, exited(1), 0, 59_999)).toMatchObject({ kind: "restart", delayMs: 32_000 });
  });

  it("follows a policy of its own: a limit of 1 never restarts; the cap holds a delay remembered above it", () => {
    expect(decideRestart({ ...DEFAULT_RESTART_POLICY, maxDeaths: 1 }, EMPTY_HISTORY, exited(1), 0, 10)).toEqual({ kind: "give-up", reason: "too-many-deaths", deaths: 1 });
    const policy = { ...DEFAULT_RESTART_POLICY, maxDelayMs: 5000 };
    expect(decideRestart(policy, { deathUptimesMs: [], uptimeMs: 0, nextDelayMs: 8000 }, exited(1), 0, 10)).toMatchObject({ delayMs: 5000, history: { nextDelayMs: 5000 } });
  });
});

describe("decideRestart counts deaths within 60 s of running time", () => {
  const exited = { kind: "exited", code: 1 } as const;
  it.each([5, 7, 10, 100])("instant deaths reach TS_RESTART_LIMIT=%i, however long the backoff grew", (limit) => {
    const policy = { ...DEFAULT_RESTART_POLICY, maxDeaths: limit };
    let history: RestartHistory = EMPTY_HISTORY;
    let now = 0;
    for (let death = 1; death <= limit; death += 1) {
      const decision = decideRestart(policy, history, exited, now, now + 10);
      if (death === limit) {
        expect(decision).toMatchObject({ kind: "give-up", reason: "too-many-deaths", deaths: limit });
        return;
      }
      if (decision.kind !== "restart") throw new Error(`gave up at death ${death}`);
      history = decision.history;
      now += 10 + decision.delayMs;
    }
  });

  it("a death after each 10 s run counts too (5 of them fall within 60 s of running)", () => {
    let history: RestartHistory = EMPTY_HISTORY;
    let now = 0;
    const kinds: string[] = [];
    for (let death = 0; death < 5; death += 1) {
      const decision = decideRestart(DEFAULT_RESTART_POLICY, history, exited, now, now + 10_000);
      kinds.push(decision.kind);
      if (decision.kind === "restart") history = decision.history;
      now += 10_000 + (decision.kind === "restart" ? decision.delayMs : 0);
    }
    expect(kinds).toEqual(["restart", "restart", "restart", "restart", "give-up"]);
  });
});
