// Catches stop signals from the first moment the bundle runs. Imported first by main.ts, so it runs
// before the libraries' start-up code: the kernel drops a signal sent to a namespace's init that
// has no handler for it (https://man7.org/linux/man-pages/man7/pid_namespaces.7.html), and a
// container may be stopped while it is still starting.
import * as os from "os";

// HUP, INT, QUIT, USR1, USR2, TERM.
const EARLY_SIGNALS = [1, 2, 3, 10, 12, 15];
const caught: number[] = [];

for (const signal of EARLY_SIGNALS) os.signal(signal, () => caught.push(signal));

/** Signals that arrived before their real handler was installed; each is handed out once. */
export function takeEarlySignal(signal: number): boolean {
  const index = caught.indexOf(signal);
  if (index < 0) return false;
  caught.splice(index, 1);
  return true;
}
