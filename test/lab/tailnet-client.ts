// The topology's tailnet clients: the tests' own tailscaled build in a namespace of its own, kernel
// TUN, logged in to the topology's Headscale: by default with --accept-routes and no firewall rules;
// a client that does not accept routes, or one offering an exit node (netfilter on: tailscaled
// masquerades what it forwards, as a real exit node does), by options. Never --accept-dns: started
// with `ip netns exec`, tailscaled shares the host's /etc and would rewrite its resolv.conf.
import { execa } from "execa";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DERP_OVER_HTTP, realBinaries, type Headscale } from "./headscale.ts";
import { pollFor } from "../support/pid1.ts";

export interface TailnetClient {
  /** Its tailnet IPv4 address. */
  readonly ip: string;
  /** Its tailnet IPv6 address. */
  readonly ip6: string;
  /** Its host name in the tailnet (its MagicDNS name's first label). */
  readonly hostname: string;
  /** Path of its LocalAPI socket (the `tailscale --socket=` of the sandbox's commands). */
  readonly socket: string;
  /** Host pid of its tailscaled. */
  readonly pid: number | undefined;
  /** Runs the `tailscale` CLI against the client's daemon. */
  cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** How a client logs in (default: host name `client`, --accept-routes, no exit node); `detached`: in a session of its own. */
export interface ClientOptions {
  readonly hostname?: string;
  readonly acceptRoutes?: boolean;
  readonly advertiseExitNode?: boolean;
  readonly detached?: boolean;
}

/** Starts the client's tailscaled in `netns` with its state in `dir`, and logs it in. */
export async function startTailnetClient(netns: string, headscale: Headscale, dir: string, options: ClientOptions = {}): Promise<TailnetClient> {
  const hostname = options.hostname ?? "client";
  const exitNode = options.advertiseExitNode === true;
  const { tailscaled, tailscale } = realBinaries();
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, "tailscaled.sock");
  const daemon = execa("ip", ["netns", "exec", netns, tailscaled, `--statedir=${dir}`, `--socket=${socket}`, "--port=0", "--tun=tailscale0"], {
    reject: false,
    stdin: "ignore",
    stdout: { file: join(dir, "tailscaled.out") },
    stderr: { file: join(dir, "tailscaled.log") },
    env: { TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGS_DIR: dir, ...DERP_OVER_HTTP },
    detached: options.detached === true,
  });
  const cli = async (args: readonly string[]) => {
    const result = await execa("ip", ["netns", "exec", netns, tailscale, `--socket=${socket}`, ...args], { reject: false, timeout: 60_000 });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const stop = async () => {
    daemon.kill("SIGTERM");
    await daemon;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const key = await headscale.createKey();
    await pollFor(() => (existsSync(socket) ? true : undefined), 20_000, () => "the client's tailscaled socket never appeared");
    const flags = [`--accept-routes=${options.acceptRoutes ?? true}`, `--netfilter-mode=${exitNode ? "on" : "off"}`, ...(exitNode ? ["--advertise-exit-node"] : [])];
    const up = await cli(["up", `--login-server=${headscale.url}`, `--auth-key=${key}`, ...flags, "--accept-dns=false", `--hostname=${hostname}`, "--timeout=60s"]);
    if (up.exitCode !== 0) throw new Error(`client ${hostname}: tailscale up failed: ${up.stderr}`);
    const ip = (await cli(["ip", "-4"])).stdout.trim();
    const ip6 = (await cli(["ip", "-6"])).stdout.trim();
    return { ip, ip6, hostname, socket, pid: daemon.pid, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
