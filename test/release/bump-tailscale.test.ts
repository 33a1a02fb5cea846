// `npm run bump-tailscale` against the REAL Go module proxy (proxy.golang.org): --check names the
// newest stable release (even minor) and what a bump would change, and edits nothing; a bump in a copy
// of the pins edits exactly TAILSCALE_VERSION (and GO_VERSION, which the Dockerfile reads, when the
// new go.mod asks for a newer Go); a pinned feature the new version lacks stops it. When the proxy
// cannot be reached these tests are skipped, saying why (and the test command then reports them).
import { execa } from "execa";
import { findFreePort } from "../lab/free-port.ts";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { ROOT } from "../support/qjs.ts";
import { readPins } from "../../docker/release/lib/image-layout.mjs";

const PROXY = "https://proxy.golang.org";
const PINS = `${ROOT}docker/pins.env`;
let versions: string[] | undefined;
let unreachable = "";

/** Skips the test, saying why, when the proxy could not be reached. */
function needProxy(context: TestContext): string[] {
  if (versions === undefined) {
    const reason = `SKIPPED: the Go module proxy cannot be reached from here (${unreachable})`;
    console.warn(reason);
    context.skip(reason);
  }
  return versions ?? [];
}

/** The newest stable tailscale.com version, computed here independently: v1.EVEN.PATCH, by number. */
function newestStable(list: readonly string[], below?: number): string | undefined {
  const parsed = list.map((version) => /^v1\.(\d+)\.(\d+)$/.exec(version)).filter((match) => match !== null && Number(match[1]) % 2 === 0 && (below === undefined || Number(match[1]) < below));
  parsed.sort((a, b) => Number(a?.[1]) - Number(b?.[1]) || Number(a?.[2]) - Number(b?.[2]));
  return parsed.at(-1)?.[0];
}

const bump = (args: readonly string[], env: Record<string, string> = {}) => execa("npm", ["run", "--silent", "bump-tailscale", "--", ...args], { cwd: ROOT, reject: false, env, timeout: 300_000 });

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ts-bump-"));
  // A resolver hiccup on a loaded machine (EAI_AGAIN, seen here for tens of seconds) is not "no network":
  // try for about a minute, as the tool does.
  for (const delayMs of [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 0]) {
    try {
      const response = await fetch(`${PROXY}/tailscale.com/@v/list`, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      versions = (await response.text()).split("\n").filter(Boolean);
      return;
    } catch (error) {
      unreachable = `GET ${PROXY}/tailscale.com/@v/list: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}, 7 tries`;
      await new Promise((done) => setTimeout(done, delayMs));
    }
  }
}, 180_000);
const repositoryPins = readFileSync(PINS, "utf8");
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  // No test edited this checkout's pins.
  expect(readFileSync(PINS, "utf8")).toBe(repositoryPins);
});

/** A copy of the files the bump edits, with `pins` lines replaced. */
function copyOfPins(name: string, pins: Record<string, string>): string {
  const root = join(work, name);
  mkdirSync(join(root, "docker"), { recursive: true });
  let text = readFileSync(PINS, "utf8");
  for (const [key, value] of Object.entries(pins)) text = text.replace(new RegExp(`^${key}=.*$`, "m"), `${key}=${value}`);
  writeFileSync(join(root, "docker", "pins.env"), text);
  copyFileSync(`${ROOT}docker/Dockerfile`, join(root, "docker", "Dockerfile"));
  return root;
}

describe("npm run bump-tailscale against the real Go module proxy", () => {
  it("--check: the newest stable release and what a bump would change (exit 2), or nothing to do (exit 0); the pins stay as they are", async (context) => {
    const list = needProxy(context);
    const pinned = readPins(PINS)["TAILSCALE_VERSION"] ?? "";
    const newest = newestStable(list);
    // This repository's pins, in a copy (a bump that went wrong must not edit the checkout).
    const root = copyOfPins("check", {});
    const before = readFileSync(join(root, "docker/pins.env"), "utf8");
    const result = await bump(["--check", "--root", root]);
    expect(readFileSync(join(root, "docker/pins.env"), "utf8")).toBe(before);
    if (newest === pinned) {
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`tailscale ${pinned} is pinned; the newest stable release is ${newest}: nothing to do`);
    } else {
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stdout).toContain(`${newest} is the newest stable release`);
      expect(result.stdout).toContain(`docker/pins.env: TAILSCALE_VERSION ${pinned} -> ${newest}`);
    }
  }, 120_000);

  it("a bump from an older stable release edits TAILSCALE_VERSION, and GO_VERSION when the new go.mod needs a newer Go; nothing else (the Dockerfile reads the pin)", async (context) => {
    const list = needProxy(context);
    const newest = newestStable(list) ?? "";
    const older = newestStable(list, Number(newest.split(".")[1])) ?? "";
    const root = copyOfPins("bump", { TAILSCALE_VERSION: older, GO_VERSION: "1.20.0" });
    const [pinsBefore, dockerfileBefore] = [readFileSync(join(root, "docker/pins.env"), "utf8"), readFileSync(join(root, "docker/Dockerfile"), "utf8")];
    const result = await bump(["--root", root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`docker/pins.env: TAILSCALE_VERSION ${older} -> ${newest}`);
    // The Go the new version asks for (its go.mod's go line), and the release the bump picked for it.
    const goLine = /^go (\S+)$/m.exec(await (await fetch(`${PROXY}/tailscale.com/@v/${newest}.mod`)).text())?.[1] ?? "";
    const goVersion = readPins(join(root, "docker/pins.env"))["GO_VERSION"] ?? "";
    expect(goVersion.startsWith(goLine.split(".").slice(0, 2).join("."))).toBe(true);
    const toolchains = await (await fetch(`${PROXY}/golang.org/toolchain/@v/list`)).text();
    expect(toolchains).toContain(`-go${goVersion}.linux-amd64`);
    const expectedPins = pinsBefore.replace(`TAILSCALE_VERSION=${older}`, `TAILSCALE_VERSION=${newest}`).replace("GO_VERSION=1.20.0", `GO_VERSION=${goVersion}`);
    expect(readFileSync(join(root, "docker/pins.env"), "utf8")).toBe(expectedPins);
    expect(readFileSync(join(root, "docker/Dockerfile"), "utf8")).toBe(dockerfileBefore);
    // Again: nothing to do.
    const again = await bump(["--root", root]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("nothing to do");
  }, 300_000);

  it("a pinned feature the new version lacks stops the bump, naming it; nothing is edited", async (context) => {
    const list = needProxy(context);
    const newest = newestStable(list) ?? "";
    const older = newestStable(list, Number(newest.split(".")[1])) ?? "";
    const features = `${readPins(PINS)["TAILSCALE_FEATURES"] ?? ""},nosuchfeature`;
    const root = copyOfPins("feature", { TAILSCALE_VERSION: older, TAILSCALE_FEATURES: features });
    const before = readFileSync(join(root, "docker/pins.env"), "utf8");
    const result = await bump(["--root", root]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`TAILSCALE_FEATURES names nosuchfeature, which tailscale.com@${newest} no longer has`);
    expect(readFileSync(join(root, "docker/pins.env"), "utf8")).toBe(before);
  }, 300_000);
});

/** A loopback port nothing listens on (bound, then released): connections to it are refused. */
const closedPort = findFreePort;

describe("npm run bump-tailscale without a proxy", () => {
  it("an unreachable proxy is an error naming the URL and GOPROXY; nothing is edited", async () => {
    const root = copyOfPins("offline", {});
    const before = readFileSync(join(root, "docker/pins.env"), "utf8");
    const port = await closedPort();
    const result = await bump(["--check", "--root", root], { GOPROXY: `http://127.0.0.1:${port}/` });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`the Go module proxy cannot be reached: GET http://127.0.0.1:${port}/tailscale.com/@v/list: connect ECONNREFUSED 127.0.0.1:${port} (set GOPROXY to a reachable proxy)`);
    expect(readFileSync(join(root, "docker/pins.env"), "utf8")).toBe(before);
  });

  it.each([["--chekc"], ["--root"], ["--check", "extra"]])("an unknown argument is an error, nothing is edited: %j", async (...args) => {
    const root = copyOfPins("arguments", { TAILSCALE_VERSION: "v1.0.0" });
    const before = readFileSync(join(root, "docker/pins.env"), "utf8");
    const result = await bump(["--root", root, ...args], { GOPROXY: "http://127.0.0.1:9/" });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`unknown argument '${args.at(-1)}'`);
    expect(readFileSync(join(root, "docker/pins.env"), "utf8")).toBe(before);
  });
});
