// The rules every output of the supervisor keeps (issue 9 item 2): no secret, printable ASCII lines in
// plain mode, one valid JSON document per line in JSON mode.
import { expect } from "vitest";

/** Lines of a stream, without the empty one after the final newline. */
export function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Every run of PART_CHARS characters of a secret (the secrets of the tests are markers no other text holds). */
const PART_CHARS = 12;
function partsOf(secret: string): string[] {
  const parts: string[] = [];
  for (let at = 0; at + PART_CHARS <= secret.length; at += 1) parts.push(secret.slice(at, at + PART_CHARS));
  return parts;
}

/** Asserts the rules on what a command wrote; `jsonStdout` when stdout is a JSON document (doctor --json). */
export function expectOutputRules(output: { stdout: string; stderr: string }, options: { format: "plain" | "json"; secrets: readonly string[]; jsonStdout?: boolean }): void {
  const all = output.stdout + output.stderr;
  for (const secret of options.secrets) {
    expect(all, `secret ${JSON.stringify(secret)} printed`).not.toContain(secret);
    // Nor a part of it: a secret cut in two escapes a redactor that only knows it whole.
    for (const part of partsOf(secret)) expect(all, `part ${JSON.stringify(part)} of secret ${JSON.stringify(secret)} printed`).not.toContain(part);
  }
  for (const line of linesOf(output.stderr)) {
    if (options.format === "json") expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
    expect(line, "a line with characters other than printable ASCII").toMatch(/^[\x20-\x7e]*$/);
  }
  for (const line of linesOf(output.stdout)) {
    if (options.jsonStdout === true) expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
    expect(line, "stdout line with characters other than printable ASCII").toMatch(/^[\x20-\x7e]*$/);
  }
}
