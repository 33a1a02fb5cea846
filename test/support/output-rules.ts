// The rules every output of the supervisor keeps (issue 9 item 2): no secret, printable ASCII lines in
// plain mode, one valid JSON document per line in JSON mode.
import { expect } from "vitest";

/** Lines of a stream, without the empty one after the final newline. */
export function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Asserts the rules on what a command wrote; `jsonStdout` when stdout is a JSON document (doctor --json). */
export function expectOutputRules(output: { stdout: string; stderr: string }, options: { format: "plain" | "json"; secrets: readonly string[]; jsonStdout?: boolean }): void {
  const all = output.stdout + output.stderr;
  for (const secret of options.secrets) expect(all, `secret ${JSON.stringify(secret)} printed`).not.toContain(secret);
  for (const line of linesOf(output.stderr)) {
    if (options.format === "json") expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
    expect(line, "a line with characters other than printable ASCII").toMatch(/^[\x20-\x7e]*$/);
  }
  for (const line of linesOf(output.stdout)) {
    if (options.jsonStdout === true) expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
    expect(line, "stdout line with characters other than printable ASCII").toMatch(/^[\x20-\x7e]*$/);
  }
}
