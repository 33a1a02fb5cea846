// Warnings for variables that look meant for us but are not known: typos and unsupported names.
// Linear in the environment: only names of about the same length are compared, within a band.
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { KNOWN_VARIABLE_NAMES } from "./env-schema.ts";

// Read by tailscaled or the tailscale CLI themselves; passed through untouched.
const PASSED_TO_TAILSCALE = [/^TS_DEBUG_/, /^TS_LOG_/, /^TS_NO_LOGS_NO_SUPPORT$/, /^TS_PERMIT_CERT_UID$/, /^TS_NETSTACK_/, /^TS_BE_CLI$/];

// Names of the official image (containerboot) this image does not implement, with the way to get the
// same; the ways that need a feature the standard image lacks say so (tailscale/feature-needs.ts
// refuses them when the image's tailscaled has not got it).
const UNSUPPORTED: Readonly<Record<string, string>> = {
  TS_SOCKS5_SERVER: "add --socks5-server=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS, in an image built with the outboundproxy feature (npm run image -- --features +outboundproxy)",
  TS_OUTBOUND_HTTP_PROXY_LISTEN: "add --outbound-http-proxy-listen=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS, in an image built with the outboundproxy feature (npm run image -- --features +outboundproxy)",
  TS_SERVE_CONFIG: "run `tailscale serve --bg ...` from RUNNING_SCRIPT, in an image built with the serve feature (npm run image -- --features +serve)",
  TS_DEST_IP: "not available in this image",
  TS_KUBE_SECRET: "not available in this image (Kubernetes only)",
};

const MAX_TYPO_DISTANCE = 3;
// Only the first warnings are shown (config-secrets.ts); suggestions for more would be work for nothing.
const MAX_SUGGESTIONS = 50;
const KNOWN = new Set(KNOWN_VARIABLE_NAMES);

/** Warns about `TS_*` names we do not know, naming the closest known one; other names only when one edit from ours. */
export function findUnknownVariables(env: Readonly<Record<string, string>>): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  let suggestions = 0;
  // Cheap tests first: an environment may hold 100,000 names.
  for (const name of Object.keys(env)) {
    if (KNOWN.has(name)) continue;
    if (!name.startsWith("TS_")) {
      const closest = name.length >= 6 ? findOneEditAway(name) : undefined;
      if (closest !== undefined) warnings.push(createIssue(name, "is not a known variable and is ignored", `did you mean ${closest}?`));
      continue;
    }
    if (PASSED_TO_TAILSCALE.some((pattern) => pattern.test(name))) continue;
    const unsupported = UNSUPPORTED[name];
    if (unsupported !== undefined) {
      warnings.push(createIssue(name, "is not supported by this image and is ignored", unsupported));
      continue;
    }
    const closest = suggestions < MAX_SUGGESTIONS ? findClosest(name, MAX_TYPO_DISTANCE) : undefined;
    suggestions += 1;
    const fix = closest === undefined ? "remove it, or see the README for the supported variables" : `did you mean ${closest}?`;
    warnings.push(createIssue(name, "is not a known variable and is ignored", fix));
  }
  return warnings.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
}

// The known names one edit from a name of each length could be (schema order).
const KNOWN_BY_NEAR_LENGTH = new Map<number, string[]>();
for (const known of KNOWN_VARIABLE_NAMES) {
  for (const length of [known.length - 1, known.length, known.length + 1]) KNOWN_BY_NEAR_LENGTH.set(length, [...(KNOWN_BY_NEAR_LENGTH.get(length) ?? []), known]);
}

/** The first known name (schema order) one edit from `name`, with no allocation per comparison. */
function findOneEditAway(name: string): string | undefined {
  for (const known of KNOWN_BY_NEAR_LENGTH.get(name.length) ?? []) if (isOneEditAway(name, known)) return known;
  return undefined;
}

/** True when one insertion, deletion or substitution turns `a` into `b`. */
function isOneEditAway(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < shorter.length && j < longer.length) {
    if (shorter.charCodeAt(i) === longer.charCodeAt(j)) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (shorter.length === longer.length) i += 1;
    j += 1;
  }
  // What is left of the longer one (one character at most) is one more edit.
  return edits + (longer.length - j) <= 1;
}

/** The known name nearest to `name` within `limit` edits (the first of the nearest, in schema order). */
function findClosest(name: string, limit: number): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_VARIABLE_NAMES) {
    const distance = editDistance(name, known, limit);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/**
 * Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`. Only the diagonal
 * band of width 2 * limit + 1 is computed: O(length * limit).
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const beyond = limit + 1;
  let previous: number[] = [];
  for (let j = 0; j <= b.length; j += 1) previous.push(j <= limit ? j : beyond);
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = new Array<number>(b.length + 1).fill(beyond);
    if (i <= limit) current[0] = i;
    let rowMin = current[0] ?? beyond;
    for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const cell = Math.min((previous[j] ?? beyond) + 1, (current[j - 1] ?? beyond) + 1, (previous[j - 1] ?? beyond) + cost, beyond);
      current[j] = cell;
      if (cell < rowMin) rowMin = cell;
    }
    if (rowMin > limit) return beyond;
    previous = current;
  }
  return Math.min(previous[b.length] ?? beyond, beyond);
}
