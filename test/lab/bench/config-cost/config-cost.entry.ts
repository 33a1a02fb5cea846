// Under qjs, for `npm run bench -- config-cost` (config-cost.ts): validates each scenario's
// environment in-process, exactly as the `config` command does (load, report problems through the
// logger and the redactor, print), and prints one line per scenario: "name<TAB>bytes<TAB>ms of each run".
import * as os from "os";
import * as std from "std";
import { runCli } from "../../../../src/core/run.ts";
import { createQuickJsHost } from "../../../../src/host/quickjs/quickjs-host.ts";
import { buildScenarios, environmentBytes } from "./config-cost.scenarios.ts";

const runs = Number(scriptArgs[1] ?? "7");
const base = createQuickJsHost();
let written = 0;
const output = { stdout: (text: string) => void (written += text.length), stderr: (text: string) => void (written += text.length) };

for (const scenario of buildScenarios()) {
  const times: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = os.now();
    await runCli({ ...base, argv: ["config"], env: scenario.env, output });
    times.push((os.now() - started).toFixed(2));
  }
  std.out.puts(`${scenario.name}\t${environmentBytes(scenario.env)}\t${times.join(" ")}\n`);
}
std.out.puts(`(${written} bytes of output discarded)\n`);
std.exit(0);
