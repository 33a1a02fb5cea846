// The README's env table must say what the schema says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_VARS, SETTING_KEYS } from "../src/core/config/env-schema.ts";
import { ROOT } from "./support/qjs.ts";

function readmeRows(): string[][] {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const table = /<!-- env-table[^>]*-->\n([\s\S]*?)<!-- \/env-table -->/.exec(readme)?.[1] ?? "";
  return table
    .trim()
    .split("\n")
    .slice(2)
    .map((line) => line.replace(/^\|\s*|\s*\|$/g, "").split(/\s+\|\s+|\s+\|(?=\s)|\|/).map((cell) => cell.trim()));
}

const unquote = (cell: string) => cell.replace(/`/g, "");

describe("README env table", () => {
  it("lists exactly the schema's variables, in order", () => {
    expect(readmeRows().map((row) => unquote(row[0] ?? ""))).toEqual(SETTING_KEYS.map((key) => ENV_VARS[key].name));
  });

  it.each(SETTING_KEYS)("%s: aliases, default and meaning match the schema", (key) => {
    const spec = ENV_VARS[key];
    const row = readmeRows().find((cells) => unquote(cells[0] ?? "") === spec.name);
    expect(row?.[1] === "" ? [] : (row?.[1] ?? "").split(",").map((alias) => unquote(alias).trim())).toEqual([...spec.aliases]);
    expect(row?.[2]).toBe(spec.defaultText);
    expect(row?.[3]).toBe(spec.description);
  });
});
