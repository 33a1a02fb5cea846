// Warnings for variables that look meant for us but are not known: typos and unsupported names.
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { KNOWN_VARIABLE_NAMES } from "./env-schema.ts";

// Read by tailscaled or the tailscale CLI themselves; passed through untouched.
const PASSED_TO_TAILSCALE = [/^TS_DEBUG_/, /^TS_LOG_/, /^TS_NO_LOGS_NO_SUPPORT$/, /^TS_PERMIT_CERT_UID$/, /^TS_NETSTACK_/, /^TS_BE_CLI$/];

// Names of the official image (containerboot) this image does not implement, with the way to get the same.
const UNSUPPORTED: Readonly<Record<string, string>> = {
  TS_SOCKS5_SERVER: "add --socks5-server=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS",
  TS_OUTBOUND_HTTP_PROXY_LISTEN: "add --outbound-http-proxy-listen=ADDR:PORT to TS_TAILSCALED_EXTRA_ARGS",
  TS_SERVE_CONFIG: "run `tailscale serve` from RUNNING_SCRIPT",
  TS_DEST_IP: "not available in this image",
  TS_KUBE_SECRET: "not available in this image (Kubernetes only)",
};

const MAX_TYPO_DISTANCE = 3;

/** Warns about `TS_*` names we do not know, naming the closest known one. */
export function findUnknownVariables(env: Readonly<Record<string, string>>): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  for (const name of Object.keys(env).sort()) {
    if (KNOWN_VARIABLE_NAMES.includes(name) || PASSED_TO_TAILSCALE.some((pattern) => pattern.test(name))) continue;
    const unsupported = UNSUPPORTED[name];
    if (unsupported !== undefined) {
      warnings.push(createIssue(name, "is not supported by this image and is ignored", unsupported));
      continue;
    }
    const closest = findClosest(name);
    if (name.startsWith("TS_")) {
      const fix = closest === undefined ? "remove it, or see the README for the supported variables" : `did you mean ${closest}?`;
      warnings.push(createIssue(name, "is not a known variable and is ignored", fix));
    } else if (closest !== undefined && editDistance(name, closest, 1) <= 1 && name.length >= 6) {
      warnings.push(createIssue(name, "is not a known variable and is ignored", `did you mean ${closest}?`));
    }
  }
  return warnings;
}

function findClosest(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_VARIABLE_NAMES) {
    const distance = editDistance(name, known, MAX_TYPO_DISTANCE);
    if (distance <= MAX_TYPO_DISTANCE && (best === undefined || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/**
 * Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`. Names whose lengths
 * differ by more than the limit are never compared: a 16,000-character name costs nothing.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const cell = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(cell);
      rowMin = Math.min(rowMin, cell);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
