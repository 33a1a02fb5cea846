// The sandbox's image and tools: the test provisioning (system packages, Headscale and the client's
// tailscaled) and the image built by the recipe (docker/build.sh, cached per component) into
// dist/sandbox/ (so a full `npm run image` in dist/ is left as it is), then loaded into podman.
import { execa } from "execa";
import { join } from "node:path";
import { loadArchive, type Arch, type Variant } from "../podman.ts";
import { ROOT } from "../../support/qjs.ts";

export const SANDBOX_DIST = join(ROOT, "dist", "sandbox");

/** Runs a script of the repository, each line of its stderr passed to `say`; its stdout. */
async function runScript(script: string, args: readonly string[], say: (line: string) => void): Promise<string> {
  const child = execa("bash", [join(ROOT, script), ...args], { reject: false, stdin: "ignore" });
  child.stderr?.setEncoding("utf8");
  let pending = "";
  child.stderr?.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) say(line);
  });
  const result = await child;
  if (pending !== "") say(pending);
  if (result.exitCode !== 0) throw new Error(`${script} ${args.join(" ")} failed (exit ${result.exitCode})`);
  return result.stdout;
}

/** Installs what is missing (apt, Go builds of Headscale and tailscaled; minutes the first time). */
export async function provisionTools(say: (line: string) => void): Promise<void> {
  await runScript("test/setup/provision-system-packages.sh", [], say);
  const printed = await runScript("test/setup/provision-tailscale.sh", [], say);
  for (const line of printed.split("\n")) {
    const [name, ...rest] = line.split("=");
    if (name === "TAILSCALED" || name === "TAILSCALE" || name === "HEADSCALE") process.env[name] = rest.join("=");
  }
}

/**
 * Builds the image of this variant and arch (a fresh cache compiles for ~10 minutes; a warm one
 * takes seconds), loads it into podman; the archive and the image id.
 */
export async function buildAndLoadImage(variant: Variant, arch: Arch, say: (line: string) => void): Promise<{ archive: string; image: string }> {
  await runScript("docker/build.sh", ["--arch", arch, "--variant", variant, "--out", SANDBOX_DIST], say);
  const archive = join(SANDBOX_DIST, "routeros", `tailscale-${variant}-${arch}.tar`);
  return { archive, image: await loadArchive(archive) };
}

/** binfmt entries for qemu-user while the sandbox runs an emulated arch (test/setup/qemu-binfmt.sh). */
export async function binfmt(action: "acquire" | "release", user: string, pid: number): Promise<void> {
  await execa("bash", [join(ROOT, "test/setup/qemu-binfmt.sh"), action, user], { env: { QEMU_BINFMT_PID: String(pid) }, reject: action === "acquire" });
}
