// The container's log in the shape of RouterOS's `/log print` (time, topics, the container's name, the
// line), read with `podman logs --timestamps`, and followed across restarts of the container.
import { execa } from "execa";
import { podman } from "../podman.ts";

/** One line of `podman logs --timestamps`: its time and text. */
export interface LogLine {
  readonly time: Date;
  readonly text: string;
}

/** Splits `2026-11-26T00:08:36.803296934Z text` (podman's --timestamps form). */
export function parseTimestamped(line: string): LogLine | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/.exec(line);
  if (match === null) return undefined;
  return { time: new Date(match[1] ?? ""), text: match[2] ?? "" };
}

/** `12:52:24 container,info tailscale: <line>`: a RouterOS log entry of a container with logging=yes. */
export function formatRouterOsLine(container: string, line: LogLine): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  const time = `${pad(line.time.getHours())}:${pad(line.time.getMinutes())}:${pad(line.time.getSeconds())}`;
  return `${time} container,info ${container}: ${line.text}`;
}

/** The whole log so far, as lines. */
export async function readLog(container: string): Promise<LogLine[]> {
  const result = await podman(["logs", "--timestamps", container]);
  return `${result.stdout}\n${result.stderr}`.split("\n").map(parseTimestamped).filter((line): line is LogLine => line !== undefined).sort((a, b) => a.time.getTime() - b.time.getTime());
}

/** A follower of a container's log; `stop()` ends it. */
export interface LogFollower {
  /** Host pid of the current `podman logs -f`. */
  readonly pid: () => number | undefined;
  /** Time (ms) of the last line passed on, 0 before the first. */
  readonly lastTime: () => number;
  stop(): void;
}

/**
 * Calls `onLine` for each line the container logs from now on, in order, and keeps following when
 * the container is restarted (`podman logs -f` ends at each stop).
 */
export function followLog(container: string, onLine: (line: LogLine) => void, options: { readonly ownProcessGroup?: boolean } = {}): LogFollower {
  // ownProcessGroup: out of the terminal's process group, so a Ctrl-C there leaves it to stop() (npm start).
  const FOLLOW = { reject: false, stdin: "ignore", buffer: false, detached: options.ownProcessGroup === true } as const;
  let child: ReturnType<typeof execa<typeof FOLLOW>> | undefined;
  let stopped = false;
  let last: LogLine | undefined;
  const seenAtLast = new Set<string>();
  const accept = (line: LogLine) => {
    const at = line.time.getTime();
    const lastAt = last?.time.getTime() ?? 0;
    // A re-follow starts at --since (inclusive): skip what was printed already.
    if (at < lastAt || (at === lastAt && seenAtLast.has(line.text))) return;
    if (at !== lastAt) seenAtLast.clear();
    seenAtLast.add(line.text);
    last = line;
    onLine(line);
  };
  const loop = async () => {
    while (!stopped) {
      const since = last === undefined ? [] : ["--since", last.time.toISOString()];
      child = execa("podman", ["logs", "--follow", "--timestamps", ...since, container], FOLLOW);
      for (const stream of [child.stdout, child.stderr]) {
        let pending = "";
        stream?.setEncoding("utf8");
        stream?.on("data", (chunk: string) => {
          const lines = (pending + chunk).split("\n");
          pending = lines.pop() ?? "";
          for (const text of lines) {
            const line = parseTimestamped(text);
            if (line !== undefined) accept(line);
          }
        });
      }
      await child;
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  void loop();
  return {
    pid: () => child?.pid,
    lastTime: () => last?.time.getTime() ?? 0,
    stop() {
      stopped = true;
      child?.kill("SIGTERM");
    },
  };
}
