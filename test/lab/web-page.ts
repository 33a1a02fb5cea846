// A small page served by busybox httpd in one of the topology's namespaces (port 80): what the traffic
// checks fetch through the subnet router.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { Namespaces, Topology } from "./topology.ts";

/** A page being served; `stop()` ends the server and removes its directory. */
export interface Page {
  stop(): Promise<void>;
}

/** Serves `text` as / on port 80 of `where`, from `dir` (created here). */
export function servePage(topology: Pick<Topology, "spawn">, where: keyof Namespaces, dir: string, text: string): Page {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/index.html`, `${text}\n`);
  // -f: in the foreground, so the pid is the server's and a kill ends it.
  const server = topology.spawn(where, ["busybox", "httpd", "-f", "-p", "80", "-h", dir]);
  return {
    async stop() {
      server.kill("SIGTERM");
      await server.done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
