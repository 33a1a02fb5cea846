// The GitHub workflows (.github/workflows): linted by actionlint (pinned, built from its Go module by
// test/setup/provision-actionlint.sh; it runs shellcheck on every `run:` script), and what each one is
// for: ci runs the test command, release pushes the image and attaches the six archives and their
// SHA256SUMS, bump-tailscale runs the bump on a schedule and opens a pull request.
import { execa, execaSync } from "execa";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/qjs.ts";
import { readPins } from "../../docker/release/lib/image-layout.mjs";

const WORKFLOWS = `${ROOT}.github/workflows`;
const read = (name: string) => readFileSync(`${WORKFLOWS}/${name}`, "utf8");
let actionlintPath: string | undefined;
function actionlint(): string {
  actionlintPath ??= process.env["ACTIONLINT"] ?? execaSync("bash", [`${ROOT}test/setup/provision-actionlint.sh`]).stdout.trim().replace(/^ACTIONLINT=/, "");
  return actionlintPath;
}
const lint = (args: readonly string[], input?: string) => execa(actionlint(), ["-no-color", "-oneline", ...args], { cwd: ROOT, reject: false, ...(input === undefined ? {} : { input }) });

describe("GitHub workflows", () => {
  it("actionlint (with shellcheck) finds nothing in ci.yml, release.yml and bump.yml", async () => {
    expect(readdirSync(WORKFLOWS).sort()).toEqual(["bump.yml", "ci.yml", "release.yml"]);
    const result = await lint(readdirSync(WORKFLOWS).map((name) => `.github/workflows/${name}`));
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.exitCode).toBe(0);
  }, 300_000);

  it("the linter does catch mistakes (control): a bad expression, an unknown action input, an unquoted variable", async () => {
    const broken = ["on: push", "jobs:", "  a:", "    runs-on: ubuntu-24.04", "    steps:", "      - uses: actions/setup-node@v4", "        with:", "          node-versoin: 20", "      - run: echo ${{ github.nosuch }}", "      - run: rm -rf $DIR/x", ""].join("\n");
    const result = await lint(["-"], broken);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/node-versoin/);
    expect(result.stdout).toMatch(/nosuch/);
    expect(result.stdout).toMatch(/shellcheck reported issue.*SC2086/);
  }, 300_000);

  it("ci runs the test command on pushes and pull requests, with the pinned Go", () => {
    const ci = read("ci.yml");
    expect(ci).toMatch(/^on:\n  push:\n(.*\n)*  pull_request:/m);
    expect(ci).toMatch(/run: \|\n(.*\n)*\s+bash test\/run\.sh\n/);
    expect(ci).toContain("echo \"go=$GO_VERSION\"");
  });

  it("release, on a version tag: checks the tag against package.json, builds, pushes with npm run push to ghcr.io/<repository>, releases the six archives and SHA256SUMS", () => {
    const release = read("release.yml");
    expect(release).toMatch(/^on:\n  push:\n    tags: \["v\*"\]/m);
    expect(release).toContain('"v$version"');
    expect(release).toContain("npm run image");
    expect(release).toContain('npm run push -- "ghcr.io/${GITHUB_REPOSITORY,,}"');
    expect(release).toContain("sha256sum tailscale-*.tar >SHA256SUMS");
    expect(release).toContain("tailscale-*.tar SHA256SUMS");
    expect(release).toMatch(/packages: write/);
  });

  it("bump-tailscale: daily, npm run bump-tailscale, a pull request only when the pins changed; the Go of every workflow is GO_VERSION, and the Dockerfile fetches that Go", () => {
    const bump = read("bump.yml");
    expect(bump).toMatch(/schedule:\n\s+- cron: "\d+ \d+ \* \* \*"/);
    expect(bump).toContain("npm run --silent bump-tailscale");
    expect(bump).toMatch(/if: steps\.bump\.outputs\.changed == 'true'/);
    expect(bump).toContain("gh pr create");
    const goVersion = readPins(`${ROOT}docker/pins.env`)["GO_VERSION"];
    expect(goVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(`${ROOT}docker/Dockerfile`, "utf8")).toContain('GOTOOLCHAIN="go$GO_VERSION"');
    for (const name of ["ci.yml", "release.yml"]) expect(read(name)).toContain("go-version: ${{ steps.pins.outputs.go }}");
  });
});
