// What a log line says once its counters, pointers and durations are set aside: two retries of one
// thing ("derp.Recv(derp-900) [0x1decf9bfc9a0] ...", "(32 dropped)", "backoff: 357 msec") have one shape.

// A run of hexadecimal digits, "x", ":" and "." holding a decimal digit, matched from the run's start
// only (the lookbehind), so that the search stays linear in the line's length.
const NUMERIC_RUN = /(?<![0-9a-fA-Fx:.])[0-9a-fA-Fx:.]*\d[0-9a-fA-Fx:.]*/g;
const NUMBER = /0x[0-9a-fA-F]+|\d+/g;
const DOTTED_QUAD = /^(?:\d{1,3}\.){3}\d{1,3}/;
const DIGIT = /\d/;

/**
 * The line with every number that is not part of an address replaced by "#". Addresses stay as they
 * are, since an IP that changed is news: IPv4 "192.0.2.2" (its port is a number), and anything with
 * two colons or more (IPv6 "fe80::4c3d:9ff:fe1f:a0a2", which also keeps times of day "23:01:39").
 */
export function shapeOfLine(line: string): string {
  if (!DIGIT.test(line)) return line;
  return line.replace(NUMERIC_RUN, shapeOfRun);
}

function shapeOfRun(run: string): string {
  if (run.indexOf(":") !== run.lastIndexOf(":")) return run;
  const quad = DOTTED_QUAD.exec(run)?.[0] ?? "";
  return quad + run.slice(quad.length).replace(NUMBER, "#");
}
