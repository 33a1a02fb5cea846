// Version lists of the Go module proxy, read for the Tailscale bump (docker/release/bump-tailscale.mjs).

/** Compares `vMAJOR.MINOR.PATCH` versions (a missing part is 0): negative, 0 or positive. */
export function compareVersions(a, b) {
  const parts = (version) => version.replace(/^v/, "").split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The newest stable release in tailscale.com's `@v/list`: `v1.MINOR.PATCH` with an even MINOR (odd
 * minors are Tailscale's unstable track) and no pre-release or pseudo-version suffix.
 */
export function newestStableTailscale(list) {
  const stable = list.split(/\s+/).filter((version) => /^v1\.(\d*[02468])\.\d+$/.test(version));
  return stable.sort(compareVersions).at(-1);
}

/**
 * The newest Go release of a go line (`1.27.4` -> the newest 1.27.x, at least 1.27.4) from
 * golang.org/toolchain's `@v/list` (entries `v0.0.1-go1.27.4.linux-amd64`); undefined when none.
 */
export function newestGoRelease(list, goLine) {
  const [major, minor] = goLine.split(".");
  const releases = [...new Set([...list.matchAll(/-go(\d+\.\d+\.\d+)\.linux-amd64\b/g)].map((match) => match[1]))];
  const line = releases.filter((version) => version.startsWith(`${major}.${minor}.`) && compareVersions(version, goLine) >= 0);
  return line.sort(compareVersions).at(-1);
}
