// The supervisor's version, printed on the first line and in diagnostics.

/** Kept equal to package.json's version by a test. */
export const SUPERVISOR_VERSION = "0.1.0";
