// The version logged on the first line is the package's.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { SUPERVISOR_VERSION } from "../../src/core/version.ts";
import { ROOT } from "../support/qjs.ts";

it("SUPERVISOR_VERSION equals package.json's version", () => {
  expect(SUPERVISOR_VERSION).toBe((JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version: string }).version);
});
