// Exercised under the real qjs by quickjs-host.test.ts: calls each Host method and prints the results as JSON.
// First, as in src/main.ts: a signal that arrives before its handler is installed is kept.
import "../../../src/host/quickjs/early-signals.ts";
import * as os from "os";
import * as std from "std";
import { captureCommand } from "../../../src/core/process/capture-command.ts";
import { startReaper } from "../../../src/core/process/reaper.ts";
import { createQuickJsHost } from "../../../src/host/quickjs/quickjs-host.ts";

const host = createQuickJsHost();
const dir = host.argv[0] ?? "/tmp";
const results: Record<string, unknown> = {};
results["mkdir"] = host.files.mkdir(`${dir}/sub`, 0o700);
results["mkdirAgain"] = host.files.mkdir(`${dir}/sub`, 0o700);
results["write"] = host.files.writeText(`${dir}/sub/secret`, "k\u00e9y\n", { mode: 0o600 });
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
const reaper = startReaper(host);
const echo = await captureCommand(reaper, ["sh", "-c", "printf 'out \\342\\202\\254'; printf err >&2; exit 3"]);
const killed = await captureCommand(reaper, ["sh", "-c", "kill -9 $$"]);
const missing = await captureCommand(reaper, ["no-such-command-xyz"]);
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
