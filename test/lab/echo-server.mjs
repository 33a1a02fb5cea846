// A page that says who asked: `node echo-server.mjs NAME` answers every request on port 80 (IPv4 and
// IPv6) with "hello from NAME; you are ADDRESS", the address the request came from (an IPv4 one
// without its ::ffff: prefix). What the LAN scenarios fetch to see whose address a packet carried.
import { createServer } from "node:http";

const name = process.argv[2] ?? "a host";
const server = createServer((request, response) => {
  const address = (request.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  response.end(`hello from ${name}; you are ${address}\n`);
});
server.listen(80, "::");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
