// Entry of the bundle under qjs: wire the QuickJS host, run, exit with the outcome's code. Nothing else exits.
// First: catch stop signals before the libraries' start-up code runs.
import "./host/quickjs/early-signals.ts";
import * as std from "std";
import { runCli } from "./core/run.ts";
import { EXIT_CODE } from "./core/outcome.ts";
import { createRedactor } from "./core/log/redact.ts";
import { createQuickJsHost } from "./host/quickjs/quickjs-host.ts";

const host = createQuickJsHost();
runCli(host).then(
  (outcome) => std.exit(outcome.exitCode),
  (error: unknown) => {
    // runCli logs its own failures; this is only reached if logging itself broke.
    std.err.puts(`FATAL supervisor: unexpected failure error=${JSON.stringify(createRedactor().redact(String(error)))}\n`);
    std.err.flush();
    std.exit(EXIT_CODE.failure);
  },
);
