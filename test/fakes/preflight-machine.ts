// A container for preflight unit tests: a fake host with the files a probe reads (capabilities, mounts,
// sysctls, iptables on PATH, the state dir, /dev/net/tun), a scripted `ip`/`iptables`/`mknod`, and the
// configuration loaded from its environment. Every part can be changed or left out (null).
import type { Config } from "../../src/core/config/config.ts";
import type { SystemFacts } from "../../src/core/startup/system-facts.ts";
import { configOf } from "./config-of.ts";
import { createFakeCommands, type FakeAnswer, type FakeCommands } from "./fake-commands.ts";
import type { FakeEntry } from "./fake-files.ts";
import { createFakeHost, type FakeHost } from "./fake-host.ts";

/** What a probe is given besides the host: the machine as read at start. */
export const SYSTEM: SystemFacts = { version: "0", arch: "x86_64", kernel: "6.1", pid1: true };

const EXECUTABLE = { kind: "file", mode: 0o755 } as const;

/** A container with everything kernel mode needs, forwarding off, UDP buffers large enough, legacy iptables only. */
export const MACHINE_FILES: Readonly<Record<string, string | Partial<FakeEntry>>> = {
  "/proc/self/status": "CapEff:\t000001ffffffffff\n",
  "/proc/self/mountinfo": "1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /run rw - tmpfs tmpfs rw\n3 1 8:1 / /var/lib/tailscale rw - ext4 /dev/sda1 rw\n",
  "/proc/self/cgroup": "0::/\n",
  "/sys/fs/cgroup/memory.max": "268435456\n",
  "/proc/meminfo": "MemTotal:        1048576 kB\nMemAvailable:     524288 kB\n",
  "/proc/sys/net/ipv4/ip_forward": "0\n",
  "/proc/sys/net/ipv6/conf/all/forwarding": "0\n",
  "/proc/sys/net/core/rmem_max": "7340032\n",
  "/proc/sys/net/core/wmem_max": "7340032\n",
  "/usr/sbin/iptables-legacy": EXECUTABLE,
  "/usr/sbin/iptables-legacy-save": EXECUTABLE,
  "/usr/sbin/ip6tables-legacy": EXECUTABLE,
  "/var/lib/tailscale": { kind: "directory", mode: 0o700 },
  "/dev": { kind: "directory", mode: 0o755 },
  "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200 },
};

/** The answers of a container where every command works and the gateway is on the veth subnet. */
export function answerMachineCommand(argv: readonly string[]): FakeAnswer | undefined {
  if (argv[0] === "ip" && argv.includes("get")) return { stdout: `${argv[argv.length - 1] ?? ""} dev eth0 src 172.17.0.2 uid 0\n    cache\n` };
  return undefined;
}

/** The machine: host, configuration and commands. */
export interface PreflightMachine {
  readonly host: FakeHost;
  readonly config: Config;
  readonly commands: FakeCommands;
}

/** Builds the machine; `files` change MACHINE_FILES (null leaves one out), `answer` goes before the default answers. */
export function createPreflightMachine(options: { env?: Record<string, string>; files?: Record<string, string | Partial<FakeEntry> | null>; answer?: (argv: readonly string[]) => FakeAnswer | undefined } = {}): PreflightMachine {
  const env = { PATH: "/usr/sbin:/usr/bin", ...options.env };
  const files: Record<string, string | Partial<FakeEntry>> = {};
  for (const [path, entry] of Object.entries({ ...MACHINE_FILES, ...options.files })) if (entry !== null) files[path] = entry;
  const host = createFakeHost({ env, files });
  const commands = createFakeCommands((argv) => options.answer?.(argv) ?? answerMachineCommand(argv));
  return { host, config: configOf(env, files), commands };
}
