// A loopback TCP port free a moment ago (bound to port 0, then released): for a server the lab starts,
// or, left unused, a port where connections are refused.
import { createServer } from "node:net";

/** The port the kernel gave a listener on 127.0.0.1, once it is closed again. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
