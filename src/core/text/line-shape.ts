// What a log line says once its counters, pointers and durations are set aside: two retries of one
// thing ("derp.Recv(derp-900) [0x1decf9bfc9a0] ...", "(32 dropped)", "backoff: 357 msec") have one shape.

// Addresses stay as they are: an IP that changed is news (IPv4 "192.0.2.2", IPv6 or anything with
// two colons, "fe80::4c3d:9ff:fe1f:a0a2", which also keeps times of day "23:01:39"). Other numbers,
// hexadecimal "0x..." included, become "#".
const NUMBER_OR_ADDRESS = /[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*|(?:\d{1,3}\.){3}\d{1,3}|0x[0-9a-fA-F]+|\d+/g;
const DIGIT = /\d/;

/** The line with every number that is not part of an address replaced by "#". */
export function shapeOfLine(line: string): string {
  if (!DIGIT.test(line)) return line;
  return line.replace(NUMBER_OR_ADDRESS, (token) => (token.includes(":") || token.includes(".") ? token : "#"));
}
