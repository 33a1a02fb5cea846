// What `npm start` prints once traffic flows: the commands to try while the sandbox runs.
import type { SessionRecord } from "./session.ts";

/** The commands, each with what it shows; `name` is added when it is not the default sandbox. */
export function tryNext(record: SessionRecord): string {
  const prefix = record.name === "tsbox" ? "" : `TS_SANDBOX_NAME=${record.name} `;
  const emulated = record.arch !== "amd64";
  const rows: Array<[string, string]> = [
    ["logs", "the container's log as RouterOS shows it (logs -f follows)"],
    ["doctor", "the supervisor's checks inside the container (/usr/local/bin/supervisor doctor)"],
    ...(emulated
      ? ([["exec client curl http://192.168.88.10/", "the tailnet client fetches the LAN host's page through the subnet router"]] as Array<[string, string]>)
      : ([
          ["exec client ping -c 3 192.168.88.10", "the tailnet client pings the LAN host through the subnet router"],
          [`exec lan ping -c 3 ${record.clientIp ?? "100.64.0.2"}`, "the LAN host pings the client back (route 100.64.0.0/10 via the container)"],
        ] as Array<[string, string]>)),
    ["exec client tailscale status", "the client's view of the tailnet"],
    ["exec container tailscale status", "tailscale inside the container (/container/shell)"],
    ["exec headscale headscale nodes list", "the control server's view"],
    ["kill-tailscaled", "kill -9 of tailscaled inside: the supervisor restarts it (watch the log here)"],
    ["restart", "restart the container on its state volume: Running again without the key"],
    ["down", "what Ctrl-C here does: remove everything"],
  ];
  const width = Math.max(...rows.map(([command]) => command.length));
  const lines = rows.map(([command, what]) => `  ${prefix}npm run sandbox -- ${command.padEnd(width)}  ${what}`);
  return [
    "",
    emulated ? "It works: the client reached the LAN host's page through the container (emulated, userspace networking)." : "It works: the client reached the LAN through the container, and the LAN reached the client back.",
    "Try, in another terminal (as root):",
    ...lines,
    "",
    "The container's log keeps coming here. Ctrl-C stops the container and removes everything.",
  ].join("\n");
}
