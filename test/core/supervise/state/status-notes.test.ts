// What the supervisor loop adds to the recorded status besides the state: the control-server trouble
// (recorded, changed, ended) and the server's last answer (recorded at most every 30 s).
import { describe, expect, it } from "vitest";
import type { Trouble } from "../../../../src/core/supervise/control/control-trouble.ts";
import { createStatusRecorder, readStatus } from "../../../../src/core/supervise/state/status-file.ts";
import { noteControlContact, recordTrouble } from "../../../../src/core/supervise/state/status-notes.ts";
import { createFakeFiles } from "../../../fakes/fake-files.ts";

const DIR = "/run/tailscale-supervisor";
const START = { supervisorPid: 1, state: "Running", sinceMs: 1000 } as const;

function recorded() {
  const files = createFakeFiles({ [DIR]: { kind: "directory", mode: 0o700 } });
  const recorder = createStatusRecorder(files, DIR, START);
  const writes: number[] = [];
  const rename = files.rename.bind(files);
  files.rename = (from, to) => (writes.push(writes.length), rename(from, to));
  return { recorder, read: () => readStatus(files, DIR), writes };
}

const TROUBLE: Trouble = { troubleClass: "dns", message: "lookup controlplane.example: no such host", sinceMs: 5000, lastSeenMs: 7000, lastWarnedMs: 5000, seenSinceWarning: 2, reminderMs: 60_000 };

describe("recordTrouble", () => {
  it("records the class, tailscaled's message and the start, nothing of the reminder bookkeeping", () => {
    const { recorder, read } = recorded();
    recordTrouble(recorder, TROUBLE);
    expect(read()).toEqual({ ...START, controlTrouble: { troubleClass: "dns", message: "lookup controlplane.example: no such host", sinceMs: 5000 } });
  });

  it("a changed trouble replaces the old one; its end removes it from the file", () => {
    const { recorder, read } = recorded();
    recordTrouble(recorder, TROUBLE);
    recordTrouble(recorder, { ...TROUBLE, troubleClass: "tls", message: "x509: certificate has expired" });
    expect(read()?.controlTrouble).toEqual({ troubleClass: "tls", message: "x509: certificate has expired", sinceMs: 5000 });
    recordTrouble(recorder, undefined);
    expect(read()).toEqual(START);
  });

  it("the same trouble counted again writes nothing", () => {
    const { recorder, writes } = recorded();
    recordTrouble(recorder, TROUBLE);
    recordTrouble(recorder, { ...TROUBLE, lastSeenMs: 9000, seenSinceWarning: 3 });
    expect(writes).toHaveLength(1);
  });
});

describe("noteControlContact", () => {
  it("records the first answer, then at most one every 30 s", () => {
    const { recorder, read, writes } = recorded();
    noteControlContact(recorder, 100_000);
    expect(read()?.lastControlContactMs).toBe(100_000);
    noteControlContact(recorder, 129_999);
    expect(read()?.lastControlContactMs).toBe(100_000);
    noteControlContact(recorder, 130_000);
    expect(read()?.lastControlContactMs).toBe(130_000);
    expect(writes).toHaveLength(2);
  });

  it("keeps the rest of the status", () => {
    const { recorder, read } = recorded();
    recordTrouble(recorder, TROUBLE);
    noteControlContact(recorder, 100_000);
    expect(read()).toEqual({ ...START, controlTrouble: { troubleClass: "dns", message: TROUBLE.message, sinceMs: 5000 }, lastControlContactMs: 100_000 });
  });
});
