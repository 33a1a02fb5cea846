// The Tailscale bump (`npm run bump-tailscale [-- --check] [-- --root DIR]`): asks the Go module
// proxy for tailscale.com's versions, takes the newest STABLE one (Tailscale's stable releases have
// an even minor, e.g. 1.102.x; odd minors are unstable) and, when docker/pins.env pins an older one,
// edits the pins to it and prints what changed:
//   TAILSCALE_VERSION  the new version;
//   GO_VERSION         raised to the newest Go release of the line the new module's go.mod asks for,
//                      when it asks for more than the pinned Go (docker/Dockerfile and the workflows read the pin);
// and stops without editing when a feature of TAILSCALE_FEATURES no longer exists in the new version
// (feature/featuretags/featuretags.go of its module). --check edits nothing; exit 0: the pin is the
// newest stable, 2: a newer one exists (printed with what a bump would change), 1: an error (e.g. the
// proxy cannot be reached). GOPROXY's first http(s) entry is used when set.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readPins } from "./lib/image-layout.mjs";
import { compareVersions, newestGoRelease, newestStableTailscale } from "./lib/versions.mjs";

const USAGE = "usage: npm run bump-tailscale [-- --check] [-- --root DIR]";
const fail = (message) => {
  process.stderr.write(`bump-tailscale: ERROR: ${message}\n`);
  process.exit(1);
};
let check = false;
let root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--check") check = true;
  else if (args[i] === "--root" && args[i + 1] !== undefined) root = resolve(args[++i]);
  else fail(`unknown argument '${args[i]}' (${USAGE})`);
}

const proxy = (process.env.GOPROXY ?? "").split(/[,|]/).find((entry) => /^https?:\/\//.test(entry))?.replace(/\/$/, "") ?? "https://proxy.golang.org";
const TIMEOUT_MS = 30_000;

/** Waits between tries of a GET that met a passing fault (see isPassing): a resolver or proxy hiccup passes. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
/** Faults that say "try again" (a busy resolver's EAI_AGAIN, a reset, a timeout); a refusal or an unknown name is final. */
const PASSING_FAULTS = /EAI_AGAIN|ECONNRESET|ETIMEDOUT|EPIPE|UND_ERR_SOCKET|timeout|aborted/i;

/** GET from the proxy; the body as text (or bytes), an error naming the URL otherwise (after retries). */
async function get(path, asBytes = false) {
  const url = `${proxy}/${path}`;
  for (let attempt = 0; ; attempt += 1) {
    let problem;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (response.ok) return asBytes ? Buffer.from(await response.arrayBuffer()) : response.text();
      if (response.status < 500) fail(`GET ${url}: HTTP ${response.status}`);
      problem = `HTTP ${response.status}`;
    } catch (error) {
      problem = error.cause?.message ?? error.message;
      if (!PASSING_FAULTS.test(`${problem} ${error.cause?.code ?? ""} ${error.name}`)) fail(`the Go module proxy cannot be reached: GET ${url}: ${problem} (set GOPROXY to a reachable proxy)`);
    }
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay === undefined) fail(`the Go module proxy cannot be reached: GET ${url}: ${problem}, ${attempt + 1} tries (set GOPROXY to a reachable proxy)`);
    await new Promise((done) => setTimeout(done, delay));
  }
}

const pinsPath = join(root, "docker", "pins.env");
const pins = readPins(pinsPath);
for (const name of ["TAILSCALE_VERSION", "TAILSCALE_FEATURES", "GO_VERSION"]) if (!pins[name]) fail(`${pinsPath} has no ${name}`);

const newest = newestStableTailscale(await get("tailscale.com/@v/list"));
if (newest === undefined) fail(`${proxy} lists no stable tailscale.com version`);
if (compareVersions(newest, pins.TAILSCALE_VERSION) <= 0) {
  process.stdout.write(`tailscale ${pins.TAILSCALE_VERSION} is pinned; the newest stable release is ${newest}: nothing to do\n`);
  process.exit(0);
}

// The Go the new version needs (the go line of its go.mod).
const goLine = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(await get(`tailscale.com/@v/${newest}.mod`))?.[1];
if (goLine === undefined) fail(`tailscale.com@${newest}'s go.mod has no go line`);
let goVersion = pins.GO_VERSION;
if (compareVersions(`v${goLine}`, `v${goVersion}`) > 0) {
  goVersion = newestGoRelease(await get("golang.org/toolchain/@v/list"), goLine);
  if (goVersion === undefined) fail(`no Go release of the ${goLine} line on ${proxy} (golang.org/toolchain)`);
}
const changes = [`docker/pins.env: TAILSCALE_VERSION ${pins.TAILSCALE_VERSION} -> ${newest}`];
if (goVersion !== pins.GO_VERSION) changes.push(`docker/pins.env: GO_VERSION ${pins.GO_VERSION} -> ${goVersion} (tailscale.com@${newest} needs go >= ${goLine}; docker/Dockerfile and the workflows read it)`);

if (check) {
  process.stdout.write(`tailscale ${pins.TAILSCALE_VERSION} is pinned; ${newest} is the newest stable release. \`npm run bump-tailscale\` would change:\n${changes.map((change) => `  ${change}\n`).join("")}`);
  process.exit(2);
}

// Every pinned feature must still exist in the new version.
const known = await featuresOf(newest);
const gone = pins.TAILSCALE_FEATURES.split(",").filter((feature) => !known.has(feature));
if (gone.length > 0) fail(`TAILSCALE_FEATURES names ${gone.join(", ")}, which tailscale.com@${newest} no longer has (feature/featuretags/featuretags.go): nothing was changed; pick the features again for ${newest}`);

edit(pinsPath, /^TAILSCALE_VERSION=.*$/m, `TAILSCALE_VERSION=${newest}`);
if (goVersion !== pins.GO_VERSION) {
  edit(pinsPath, /^GO_VERSION=.*$/m, `GO_VERSION=${goVersion}`);
}
process.stdout.write(`bumped tailscale to ${newest}:\n${changes.map((change) => `  ${change}\n`).join("")}`);

/** Replaces the one match of `pattern` in a file. */
function edit(path, pattern, replacement) {
  const text = readFileSync(path, "utf8");
  if (!pattern.test(text)) fail(`${path} has no line matching ${pattern}`);
  writeFileSync(path, text.replace(pattern, replacement));
}

/** The feature names of a tailscale.com version: the keys of featuretags.Features, read from its module zip. */
async function featuresOf(version) {
  const dir = mkdtempSync(join(tmpdir(), "bump-tailscale-"));
  try {
    writeFileSync(join(dir, "module.zip"), await get(`tailscale.com/@v/${version}.zip`, true));
    const file = `tailscale.com@${version}/feature/featuretags/featuretags.go`;
    const unzip = spawnSync("unzip", ["-p", join(dir, "module.zip"), file], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    if (unzip.error) fail(`unzip could not run: ${unzip.error.message} (apt-get install unzip)`);
    if (unzip.status !== 0) fail(`tailscale.com@${version} has no ${file}: ${unzip.stderr.trim()}`);
    const features = unzip.stdout.slice(unzip.stdout.indexOf("var Features = map[FeatureTag]FeatureMeta{"));
    return new Set([...features.matchAll(/^\t"([a-z0-9]+)":\s/gm)].map((match) => match[1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
