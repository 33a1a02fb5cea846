// The push command (`npm run push -- <registry>/<repository> [--insecure] [--out DIR] [--force]`):
// pushes what `npm run image` wrote to DIR/oci (default dist/; whatever is missing is built first) to a
// registry with skopeo, per variant one multi-arch image (linux/amd64, linux/arm64, linux/arm/v7) as a
// Docker v2 schema 2 manifest list with v2s2 manifests and gzip layers, the formats every registry and
// every RouterOS pull client take. Tags: standard and latest (standard), tiny, and the immutable
// <tailscale version>-<project version> and <...>-tiny. An immutable tag that already holds other
// content (another image config on any platform) is left alone and the push stops, unless --force.
//   --insecure  plain HTTP / no TLS verification (a registry on a test network)
// Credentials: skopeo's (`skopeo login HOST`, or REGISTRY_AUTH_FILE).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PLATFORMS, platformKey, readLayoutImage, readPins, sameConfigs } from "./lib/image-layout.mjs";

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const USAGE = "usage: npm run push -- <registry>/<repository> [--insecure] [--out DIR] [--force]";
const fail = (message) => {
  process.stderr.write(`push: ERROR: ${message}\n`);
  process.exit(1);
};
const log = (message) => process.stderr.write(`push: ${message}\n`);

const options = { insecure: false, force: false, out: join(root, "dist"), destination: undefined };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === "--insecure") options.insecure = true;
  else if (arg === "--force") options.force = true;
  else if (arg === "--out") options.out = resolve(args[++i] ?? fail(`--out needs a directory (${USAGE})`));
  else if (arg === "-h" || arg === "--help") {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg.startsWith("-")) fail(`unknown option '${arg}' (${USAGE})`);
  else if (options.destination === undefined) options.destination = arg;
  else fail(`one destination only, got '${options.destination}' and '${arg}' (${USAGE})`);
}
const destination = checkDestination(options.destination);

/** `<registry>/<repository>`: a host (with a port, optionally) and a lower-case repository path. */
function checkDestination(value) {
  if (value === undefined) fail(`the destination is missing (${USAGE}), e.g. ghcr.io/OWNER/REPO or 127.0.0.1:5000/routeros-tailscale`);
  if (value.includes("://")) fail(`the destination '${value}' has a scheme: give <registry>/<repository> without https:// (plain HTTP: --insecure)`);
  if (/[:@]/.test(value.slice(value.indexOf("/") + 1))) fail(`the destination '${value}' has a tag or digest: give <registry>/<repository>; the tags are set by this command`);
  const match = /^([a-zA-Z0-9.-]+(?::[0-9]+)?)\/([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)$/.exec(value);
  if (match === null) fail(`the destination '${value}' is not <registry>/<repository> (a host[:port], then a lower-case path such as owner/routeros-tailscale)`);
  // As in Docker references: a first part without a dot or a port is a Docker Hub namespace, not a host.
  if (!/[.:]/.test(match[1]) && match[1] !== "localhost") fail(`'${match[1]}' in '${value}' is not a registry host (a name with a dot or a port, e.g. ghcr.io or 127.0.0.1:5000; Docker Hub is docker.io/OWNER/REPO)`);
  return value;
}

const tlsFlag = (prefix) => (options.insecure ? [`--${prefix}tls-verify=false`] : []);
function skopeo(args, { allowFailure = false } = {}) {
  const result = spawnSync("skopeo", args, { encoding: "utf8", timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) fail(`skopeo could not run: ${result.error.message} (install it: apt-get install skopeo)`);
  if (result.status !== 0 && !allowFailure) fail(`skopeo ${args.join(" ")} failed: ${skopeoMessage(result.stderr)}`);
  return result;
}

/** skopeo's error without its logrus wrapping (`time=... level=fatal msg="..."`). */
function skopeoMessage(stderr) {
  const match = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  return match ? match[1].replace(/\\"/g, '"') : stderr.trim();
}

// What `npm run image` built; build what is missing (all architectures and variants: a tag holds all three).
const layout = join(options.out, "oci");
const variants = ["standard", "tiny"];
if (!variants.every((variant) => readLayoutImage(layout, variant).ok)) {
  log(`${layout} lacks a complete image (${variants.map((variant) => `${variant}: ${readLayoutImage(layout, variant).why ?? "ok"}`).join("; ")}); building it: npm run image -- --out ${options.out}`);
  const built = spawnSync("bash", [join(root, "docker", "build.sh"), "--out", options.out], { stdio: ["ignore", "inherit", "inherit"] });
  if (built.status !== 0) fail(`the image build failed (exit ${built.status}); see its output above`);
  for (const variant of variants) {
    const image = readLayoutImage(layout, variant);
    if (!image.ok) fail(`after the build, ${layout} still lacks ${variant}: ${image.why}`);
  }
}

const pins = readPins(join(root, "docker", "pins.env"));
const projectVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const release = `${pins.TAILSCALE_VERSION.replace(/^v/, "")}-${projectVersion}`;
const TAGS = { standard: [release, "standard", "latest"], tiny: [`${release}-tiny`, "tiny"] };

/** The manifest of each platform a tag holds (platform -> manifest); undefined when the tag is absent. */
function registryManifests(tag) {
  const raw = skopeo(["inspect", "--raw", ...tlsFlag(""), `docker://${destination}:${tag}`], { allowFailure: true });
  if (raw.status !== 0) {
    if (/manifest unknown|not found|MANIFEST_UNKNOWN|NAME_UNKNOWN/i.test(raw.stderr)) return undefined;
    fail(`reading ${destination}:${tag} failed: ${skopeoMessage(raw.stderr)}`);
  }
  const list = JSON.parse(raw.stdout);
  const manifests = {};
  for (const entry of list.manifests ?? [{ digest: undefined }]) {
    const reference = entry.digest ? `${destination}@${entry.digest}` : `${destination}:${tag}`;
    manifests[platformKey(entry.platform ?? {})] = JSON.parse(skopeo(["inspect", "--raw", ...tlsFlag(""), `docker://${reference}`]).stdout);
  }
  return manifests;
}

/** The config digest of each platform a tag holds; undefined when the tag is absent. */
function registryConfigs(tag) {
  const manifests = registryManifests(tag);
  return manifests && Object.fromEntries(Object.entries(manifests).map(([platform, manifest]) => [platform, manifest.config?.digest]));
}

const pushed = [];
for (const variant of variants) {
  const image = readLayoutImage(layout, variant);
  const [immutable, ...moving] = TAGS[variant];
  const existing = registryConfigs(immutable);
  const sameContent = existing !== undefined && sameConfigs(existing, image.configs);
  if (existing !== undefined && !sameContent && !options.force) {
    fail(`${destination}:${immutable} already holds another image (config digests ${JSON.stringify(existing)}, this build ${JSON.stringify(image.configs)}); immutable tags are never replaced: raise the version in package.json (or pass --force to replace it on purpose)`);
  }
  for (const tag of sameContent ? moving : [immutable, ...moving]) {
    log(`${variant} -> ${destination}:${tag}`);
    skopeo(["copy", "--all", "--quiet", "--retry-times", "3", "--format", "v2s2", "--dest-compress", "--dest-compress-format", "gzip", ...tlsFlag("dest-"), `oci:${layout}:${variant}`, `docker://${destination}:${tag}`]);
  }
  if (sameContent) log(`${destination}:${immutable} already holds this build; left as it is`);
  for (const tag of TAGS[variant]) pushed.push({ tag, ...checkPushed(tag, image) });
}
for (const { tag, digest } of pushed) process.stdout.write(`${destination}:${tag} ${digest}\n`);

/** Reads a pushed tag back: a v2s2 manifest list of exactly the three platforms, each v2s2 with gzip layers and this build's config. */
function checkPushed(tag, image) {
  const raw = skopeo(["inspect", "--raw", ...tlsFlag(""), `docker://${destination}:${tag}`]).stdout;
  const list = JSON.parse(raw);
  if (list.mediaType !== "application/vnd.docker.distribution.manifest.list.v2+json") fail(`${destination}:${tag} is ${list.mediaType}, not a Docker manifest list`);
  const platforms = list.manifests.map((entry) => platformKey(entry.platform)).sort();
  if (JSON.stringify(platforms) !== JSON.stringify([...PLATFORMS].sort())) fail(`${destination}:${tag} lists ${platforms.join(", ")}; expected ${PLATFORMS.join(", ")}`);
  for (const [platform, manifest] of Object.entries(registryManifests(tag) ?? {})) {
    const layerTypes = (manifest.layers ?? []).map((layer) => layer.mediaType);
    if (manifest.mediaType !== "application/vnd.docker.distribution.manifest.v2+json" || layerTypes.some((type) => type !== "application/vnd.docker.image.rootfs.diff.tar.gzip")) {
      fail(`${destination}:${tag} ${platform} is ${manifest.mediaType} with layers ${layerTypes.join(", ")}, not Docker v2s2 with gzip layers`);
    }
  }
  const configs = registryConfigs(tag);
  if (!sameConfigs(configs, image.configs)) fail(`${destination}:${tag} holds other image configs than this build's: ${JSON.stringify(configs)}`);
  return { digest: `sha256:${createHash("sha256").update(raw).digest("hex")}` };
}
