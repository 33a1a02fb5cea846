// Exercised under the real qjs by quickjs-files.test.ts: FilesPort.readTextBounded and stat on the
// files a key file may turn out to be; prints the results and how long each took, as JSON.
import * as std from "std";
import { createQuickJsFiles } from "../../../src/host/quickjs/quickjs-files.ts";

const files = createQuickJsFiles();
const results: Record<string, unknown> = {};
for (const [name, path] of Object.entries(JSON.parse(scriptArgs[1] ?? "{}") as Record<string, string>)) {
  const started = Date.now();
  const read = files.readTextBounded(path, 4096);
  results[name] = { read: read.ok ? { length: read.value.text.length, complete: read.value.complete, text: read.value.text.slice(0, 20) } : read, stat: files.stat(path), ms: Date.now() - started };
}
std.out.puts(JSON.stringify(results));
std.exit(0);
