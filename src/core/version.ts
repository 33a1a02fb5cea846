// The supervisor's version, logged on the first line; test/core/version.test.ts keeps it equal to package.json's.

/** The released version of the supervisor. */
export const SUPERVISOR_VERSION = "0.1.0";
