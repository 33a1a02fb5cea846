// Exercised under the real qjs by quickjs-host.test.ts: calls each Host method and prints the results as JSON.
// First, as in src/main.ts: a signal that arrives before its handler is installed is kept.
import "../../../src/host/quickjs/early-signals.ts";
import * as os from "os";
import * as std from "std";
import { createCommandRunner } from "../../../src/core/process/command-runner.ts";
import { createRedactor } from "../../../src/core/log/redact.ts";
import { createStopRequest } from "../../../src/core/process/stop-request.ts";
import { startReaper } from "../../../src/core/process/reaper.ts";
import { createQuickJsHost } from "../../../src/host/quickjs/quickjs-host.ts";

const host = createQuickJsHost();
const dir = host.argv[0] ?? "/tmp";
const results: Record<string, unknown> = {};
results["mkdir"] = host.files.mkdir(`${dir}/sub`, 0o700);
results["mkdirAgain"] = host.files.mkdir(`${dir}/sub`, 0o700);
results["write"] = host.files.createFile(`${dir}/sub/secret`, "k\u00e9y\n", 0o600);
results["read"] = host.files.readText(`${dir}/sub/secret`);
results["stat"] = host.files.stat(`${dir}/sub/secret`);
results["statMissing"] = host.files.stat(`${dir}/none`);
results["statDevNull"] = host.files.stat("/dev/null");
results["readDir"] = host.files.readDir(`${dir}/sub`);
results["rename"] = host.files.rename(`${dir}/sub/secret`, `${dir}/sub/moved`);
results["readLink"] = host.files.readLink("/proc/self/exe");
results["symlink"] = host.files.symlink("/dev/null", `${dir}/sub/link`);
results["symlinkAgain"] = host.files.symlink("/dev/null", `${dir}/sub/link`);
results["readSymlink"] = host.files.readLink(`${dir}/sub/link`);
results["openDevNull"] = host.files.tryOpenReadWrite(`${dir}/sub/link`);
results["openMissing"] = host.files.tryOpenReadWrite(`${dir}/none`);
results["openDirectory"] = host.files.tryOpenReadWrite(dir);
results["remove"] = host.files.remove(`${dir}/sub/moved`);
results["readMissing"] = host.files.readText(`${dir}/none`);
// Not top-level await: qjs then runs promise jobs only when a timer or I/O wakes it (about once a
// second with the reaper's tick), which would hide how promptly commands end.
async function main(): Promise<void> {
  const reaper = startReaper(host);
  const commands = createCommandRunner(host, reaper, { stop: createStopRequest(), stopGraceMs: 1000, sessionWrapper: ["setsid"], defaultEnv: { PATH: host.env["PATH"] ?? "/bin" }, redactor: createRedactor() });
  const run = (argv: string[], timeoutMs = 10_000, ownSession = false) => commands.run(argv, { label: argv.join(" ").slice(0, 20), timeoutMs, ownSession });
  const echo = await run(["sh", "-c", "printf 'out \\342\\202\\254'; printf err >&2; exit 3"]);
  const killed = await run(["sh", "-c", "kill -9 $$"]);
  const missing = await run(["no-such-command-xyz"]);
  // A script ignoring TERM, with a child of its own: TERM at the time limit, KILL 2 s later, to the whole session.
  let startedAt = Date.now();
  const stubborn = await run(["sh", "-c", `trap '' TERM; sleep 60 & echo $! >${dir}/session-child; wait`], 300, true);
  results["stubbornMs"] = Date.now() - startedAt;
  results["stubborn"] = stubborn;
  results["sessionChild"] = std.loadFile(`${dir}/session-child`)?.trim();
  // Exits at once, but its background child holds the output pipe open: read what came, not forever.
  startedAt = Date.now();
  results["leftover"] = await run(["sh", "-c", "sleep 30 & echo started"]);
  results["leftoverMs"] = Date.now() - startedAt;
  // USR1 to ourselves before anyone listens for it; the handler installed later must still get it.
  os.kill(os.getpid(), 10);
  await new Promise<void>((resolve) => os.setTimeout(resolve, 50));
  results["earlySignal"] = await new Promise<string>((resolve) => {
    os.setTimeout(() => resolve("lost"), 1000);
    host.signals.on(10, () => resolve("delivered"));
  });
  reaper.stop();
  results["capture"] = echo;
  results["killed"] = killed.ok ? killed.value.status : killed;
  results["missing"] = missing.ok ? missing.value.status : missing;
  std.out.puts(JSON.stringify(results));
  std.exit(0);
}
void main();
