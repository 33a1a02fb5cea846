// errno numbers as names for the QuickJS host's errors (pure, so tested under Node too).
import { describe, expect, it } from "vitest";
import { ERRNO, errnoName } from "../../../src/host/quickjs/quickjs-errors.ts";

describe("errnoName", () => {
  it.each([
    [1, "EPERM"],
    [2, "ENOENT"],
    [13, "EACCES"],
    [17, "EEXIST"],
    [30, "EROFS"],
    [95, "EOPNOTSUPP"],
    [15, "E15"],
    [200, "E200"],
  ])("%i is %s", (errno, name) => {
    expect(errnoName(errno)).toBe(name);
  });

  it("the numbers the host treats specially are Linux's", () => {
    expect(ERRNO).toEqual({ EINTR: 4, EAGAIN: 11 });
    expect([errnoName(ERRNO.EINTR), errnoName(ERRNO.EAGAIN)]).toEqual(["EINTR", "EAGAIN"]);
  });
});
