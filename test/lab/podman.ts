// The image as a real container: podman (Debian's, with runc) loads the RouterOS archive the build
// wrote and runs it the way RouterOS would. Names are unique per run (other test runs share podman).
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/qjs.ts";
import { readTarEntry } from "../../docker/lib/tar.mjs";
import { readPins } from "../../docker/release/lib/image-layout.mjs";

export { readTarEntry };

/** crun refuses this machine's hybrid cgroups; the default ulimits exceed its hard limits (facts/image.md). */
const PODMAN = ["--runtime", "runc"];
const LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];
export const DIST = join(ROOT, "dist");
/** The Tailscale version the image ships (docker/pins.env's TAILSCALE_VERSION, as `tailscale version` prints it). */
export const IMAGE_TAILSCALE_VERSION = (readPins(join(ROOT, "docker", "pins.env"))["TAILSCALE_VERSION"] ?? "").replace(/^v/, "");

export type Arch = "amd64" | "arm64" | "armv7";
export type Variant = "tiny" | "standard";

export interface Result {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function podman(args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Result> {
  const result = await execa("podman", [...PODMAN, ...args], { reject: false, timeout: options.timeoutMs ?? 120_000, ...(options.env ? { env: options.env } : {}) });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A name no other run uses. */
export function uniqueName(kind: string): string {
  return `ts-${kind}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** The RouterOS archive of a variant and arch. */
export function archivePath(variant: Variant, arch: Arch): string {
  return join(DIST, "routeros", `tailscale-${variant}-${arch}.tar`);
}

/**
 * Loads the archive and returns the image id (its config digest, read from the archive's
 * manifest.json): runs use the id, never a tag another run could re-point.
 */
export async function loadImage(variant: Variant, arch: Arch): Promise<string> {
  return loadArchive(archivePath(variant, arch));
}

/** Loads a docker-archive into podman; the image id (see loadImage). */
export async function loadArchive(archive: string): Promise<string> {
  const loaded = await podman(["load", "-q", "-i", archive], { timeoutMs: 300_000 });
  if (loaded.exitCode !== 0) throw new Error(`podman load ${archive}: ${loaded.stderr}`);
  const manifest = JSON.parse(readTarEntry(readFileSync(archive), "manifest.json").toString()) as Array<{ Config: string }>;
  const config = manifest[0]?.Config ?? "";
  return config.replace(/\.json$/, "");
}

/** How a container is run (RouterOS: a veth in its own netns, TUN device, NET_ADMIN, a state mount). */
export interface RunOptions {
  readonly image: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** A netns made by the test (`ip netns add`): the container's network, as RouterOS's veth. */
  readonly netns?: string;
  /** Host directory mounted at /var/lib/tailscale. */
  readonly stateDir?: string;
  readonly arch?: Arch;
  /** Replaces the image's ENTRYPOINT (e.g. a busybox applet). */
  readonly entrypoint?: string;
  /** Labels (`--label K=V`): how the sandbox finds the containers it made, even after a killed run. */
  readonly labels?: Record<string, string>;
  /** A seccomp profile file (`--security-opt seccomp=FILE`) instead of podman's default. */
  readonly seccompProfile?: string;
  /** The container's host name (RouterOS names it after the container). */
  readonly hostname?: string;
  /** A memory limit (`podman --memory`, e.g. "128m"; swap not added), as RouterOS's memory-high caps a container. */
  readonly memory?: string;
}

/** The `podman run`/`podman create` flags of a container run the RouterOS way (see RunOptions). */
export function runFlags(options: RunOptions): string[] {
  const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
  return [
    ...LIMITS,
    ...(options.netns ? ["--network", `ns:/run/netns/${options.netns}`] : ["--network", "none"]),
    // What RouterOS grants: root, NET_ADMIN, /dev/net/tun, and /proc/sys/net writable (its sysctls
    // are per netns; podman makes /proc/sys read-only unless unmasked).
    "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--device", "/dev/net/tun",
    "--security-opt", "unmask=/proc/sys",
    ...(options.stateDir ? ["-v", `${options.stateDir}:/var/lib/tailscale`] : []),
    ...(options.arch && options.arch !== "amd64" ? ["--arch", options.arch === "armv7" ? "arm" : "arm64"] : []),
    // QEMU_CPU: arm64 under qemu-user is 13x slower with qemu's default CPU (pointer
    // authentication); qemu-arm rejects the variable, so only for arm64 (facts/image.md).
    ...(options.arch === "arm64" ? ["-e", "QEMU_CPU=cortex-a72"] : []),
    ...(options.entrypoint ? ["--entrypoint", options.entrypoint] : []),
    ...Object.entries(options.labels ?? {}).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
    ...(options.seccompProfile ? ["--security-opt", `seccomp=${options.seccompProfile}`] : []),
    ...(options.hostname ? ["--hostname", options.hostname] : []),
    ...(options.memory ? ["--memory", options.memory, "--memory-swap", options.memory] : []),
    ...env,
  ];
}

/** Runs a one-shot command (`config`, `doctor --json`, `version`) in a fresh container, removed after. */
export async function runOnce(options: RunOptions, timeoutMs = 120_000): Promise<Result> {
  return podman(["run", "--rm", ...runFlags(options), options.image, ...(options.args ?? [])], { timeoutMs });
}

/** A detached container and what the tests do with it. */
export interface Container {
  readonly name: string;
  logs(): Promise<string>;
  /** Polls the log until `pattern` matched `times` times (default once); fails when the container exits first. */
  waitForLog(pattern: RegExp, timeoutMs: number, times?: number): Promise<string>;
  exec(args: readonly string[]): Promise<Result>;
  /** Host pid of the container's PID 1. */
  pid(): Promise<number>;
  /** `podman stop`: its duration and the container's exit code. */
  stop(timeoutS?: number): Promise<{ exitCode: number; ms: number }>;
  remove(): Promise<void>;
}

export async function startContainer(options: RunOptions, name = uniqueName("ctr")): Promise<Container> {
  const started = await podman(["run", "-d", "--name", name, ...runFlags(options), options.image, ...(options.args ?? [])]);
  if (started.exitCode !== 0) throw new Error(`podman run: ${started.stderr}`);
  const logs = async () => {
    const result = await podman(["logs", name]);
    return `${result.stdout}\n${result.stderr}`;
  };
  return {
    name,
    logs,
    async waitForLog(pattern, timeoutMs, times = 1) {
      const deadline = Date.now() + timeoutMs;
      const everywhere = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
      for (;;) {
        const text = await logs();
        if ((text.match(everywhere)?.length ?? 0) >= times) return text;
        const state = await podman(["inspect", "--format", "{{.State.Running}}", name]);
        if (state.stdout.trim() === "false") throw new Error(`container exited before ${pattern}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    exec: (args) => podman(["exec", name, ...args]),
    async pid() {
      return Number((await podman(["inspect", "--format", "{{.State.Pid}}", name])).stdout.trim());
    },
    async stop(timeoutS = 10) {
      const startedAt = Date.now();
      await podman(["stop", "-t", String(timeoutS), name], { timeoutMs: (timeoutS + 30) * 1000 });
      const ms = Date.now() - startedAt;
      const code = await podman(["inspect", "--format", "{{.State.ExitCode}}", name]);
      return { exitCode: Number(code.stdout.trim()), ms };
    },
    async remove() {
      await podman(["rm", "-f", "-t", "0", name]);
    },
  };
}
