// Pages served in the topology's namespaces (port 80): a fixed text by busybox httpd (what the traffic
// checks fetch through the subnet router), or the echo page saying whose address a request carried.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { Namespaces, Topology } from "./topology.ts";
import { ROOT } from "../support/qjs.ts";

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

/** The page of test/lab/echo-server.mjs on port 80 of `where`: "hello from NAME; you are ADDRESS". */
export function serveEcho(topology: Pick<Topology, "spawn">, where: keyof Namespaces, name: string): Page {
  // From ROOT: the sandbox runs this module bundled elsewhere (test/lab/run-ts.mjs).
  const server = topology.spawn(where, [process.execPath, `${ROOT}test/lab/echo-server.mjs`, name]);
  return {
    async stop() {
      server.kill("SIGTERM");
      await server.done;
    },
  };
}

/** What the echo page says to a request from `address`. */
export function echoAnswer(name: string, address: string): string {
  return `hello from ${name}; you are ${address}`;
}
