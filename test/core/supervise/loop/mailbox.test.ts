// One queue of everything the supervisor reacts to: events in order, one waiting reader, take by match.
import { describe, expect, it } from "vitest";
import { createMailbox } from "../../../../src/core/supervise/loop/mailbox.ts";

describe("createMailbox", () => {
  it("hands queued events out in order", async () => {
    const mailbox = createMailbox<number>();
    mailbox.push(1);
    mailbox.push(2);
    expect([await mailbox.next(), await mailbox.next()]).toEqual([1, 2]);
  });

  it("a waiting reader gets the next event pushed, and it is not queued too", async () => {
    const mailbox = createMailbox<string>();
    const waiting = mailbox.next();
    mailbox.push("a");
    mailbox.push("b");
    expect(await waiting).toBe("a");
    expect(await mailbox.next()).toBe("b");
    expect(mailbox.take(() => true)).toBeUndefined();
  });

  it("takes the first queued event that matches, without waiting", () => {
    const mailbox = createMailbox<number>();
    for (const event of [1, 2, 3, 4]) mailbox.push(event);
    expect(mailbox.take((event) => event % 2 === 0)).toBe(2);
    expect(mailbox.take((event) => event > 10)).toBeUndefined();
    expect([mailbox.take(() => true), mailbox.take(() => true), mailbox.take(() => true)]).toEqual([1, 3, 4]);
  });
});
