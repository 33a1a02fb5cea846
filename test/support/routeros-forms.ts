// What each RouterOS release's commands take, written down here independently of src/core/routeros
// (so that the two can disagree), and a checker: every RouterOS command in a text must use only
// arguments that every release its label names has. The arguments are those `/console/inspect`
// lists for each release (tikoci/restraml docs/<version>/extra/inspect.json, 7.19 to 7.24; the same
// within each minor line); `7.19` stands for "before 7.20".

export const RELEASES = ["7.19", "7.20", "7.21", "7.22", "7.23", "7.24"] as const;
export type Release = (typeof RELEASES)[number];

type Changes = Partial<Record<Release, { readonly added?: readonly string[]; readonly removed?: readonly string[] }>>;

const CONTAINER_ADD_719 = ["cmd", "comment", "copy-from", "dns", "domain-name", "entrypoint", "envlist", "file", "hostname", "interface", "logging", "mounts", "name", "remote-image", "root-dir", "start-on-boot", "stop-signal", "user", "workdir"];
const CONTAINER_CHANGES: Changes = {
  "7.20": { added: ["auto-restart-interval", "check-certificate", "devices", "envlists", "memory-high"], removed: ["envlist"] },
  "7.21": { added: ["cpu-list", "env", "hosts", "layer-dir", "mount", "mountlists", "stop-time"], removed: ["mounts"] },
  "7.22": { added: ["healthcheck-cmd", "healthcheck-interval", "healthcheck-retries", "healthcheck-start-interval", "healthcheck-start-period", "healthcheck-status", "healthcheck-timeout", "shm-size", "tmpfs"] },
  "7.23": { added: ["default-dns", "memory-max", "restart-interval", "restart-max-count", "restart-policy", "shell", "stop-on-unhealthy"], removed: ["auto-restart-interval"] },
  "7.24": { added: ["ignore-remote-image-change", "privileged", "swap-max"] },
};

/** Command (path and verb) → release → the argument names it takes. */
const FORMS: Readonly<Record<string, Readonly<Record<Release, ReadonlySet<string>>>>> = {
  "/container/add": byRelease(CONTAINER_ADD_719, CONTAINER_CHANGES),
  "/container/set": byRelease([...CONTAINER_ADD_719.filter((name) => name !== "copy-from"), "numbers"], CONTAINER_CHANGES),
  "/container/envs/add": byRelease(["comment", "copy-from", "key", "name", "value"], { "7.20": { added: ["list"], removed: ["name"] }, "7.21": { added: ["disabled"] } }),
  "/container/mounts/add": byRelease(["comment", "copy-from", "dst", "name", "src"], { "7.20": { added: ["read-only"] }, "7.21": { added: ["disabled", "list"], removed: ["name"] }, "7.23": { added: ["mode"], removed: ["read-only"] } }),
  "/container/config/set": byRelease(["layer-dir", "password", "ram-high", "registry-url", "tmpdir", "username"], { "7.20": { added: ["memory-high"], removed: ["ram-high"] }, "7.23": { added: ["memory-max"] }, "7.24": { added: ["swap-max"] } }),
  "/container/start": byRelease(["as-value", "number"], { "7.20": { added: ["numbers"], removed: ["as-value", "number"] } }),
  "/container/stop": byRelease(["as-value", "number"], { "7.20": { added: ["numbers"], removed: ["as-value", "number"] } }),
  // remove: the generic verb every RouterOS menu has (its item numbers, e.g. [find ...]); not read from inspect.
  "/container/remove": byRelease(["numbers"], {}),
  "/container/shell": byRelease(["number"], { "7.20": { added: ["as-value", "cmd", "line-separator", "no-sh", "user"] }, "7.21": { added: ["timeout"] }, "7.23": { added: ["workdir"] } }),
  "/container/print": byRelease(["append", "as-value", "count-only", "detail", "file", "follow", "follow-only", "from", "group-by", "interval", "proplist", "show-ids", "terse", "value-list", "where", "without-paging"], {}),
  // Outside /container: the arguments of these that this README's setup uses, the same in every release.
  "/interface/veth/add": byRelease(["address", "comment", "copy-from", "disabled", "gateway", "gateway6", "name"], { "7.20": { added: ["dhcp", "mac-address"] }, "7.21": { added: ["container-mac-address"] } }),
  "/interface/bridge/add": byRelease(["comment", "disabled", "name"], {}),
  "/interface/bridge/port/add": byRelease(["bridge", "comment", "disabled", "interface"], {}),
  "/ip/address/add": byRelease(["address", "comment", "disabled", "interface", "network"], {}),
  "/ip/route/add": byRelease(["comment", "disabled", "distance", "dst-address", "gateway", "routing-table"], {}),
  "/ip/dns/set": byRelease(["allow-remote-requests", "servers"], {}),
};

function byRelease(base: readonly string[], changes: Changes): Record<Release, ReadonlySet<string>> {
  const forms = {} as Record<Release, ReadonlySet<string>>;
  let names = new Set(base);
  for (const release of RELEASES) {
    names = new Set([...names].filter((name) => !(changes[release]?.removed ?? []).includes(name)).concat(changes[release]?.added ?? []));
    forms[release] = names;
  }
  return forms;
}

/**
 * The releases a label names: `7.20`, `7.23+`, `7.20-7.22`, `before 7.20`, `7.20 and before`,
 * `every release`, or a list of them (`7.21, 7.22`); undefined when it is not a label.
 */
export function releasesOf(label: string): Release[] | undefined {
  const parts = label.split(/, | and (?!before)/).map((part) => part.trim());
  const sets = parts.map((part): Release[] | undefined => {
    if (part === "every release") return [...RELEASES];
    let match = /^before (7\.\d+)$/.exec(part);
    if (match !== null) return RELEASES.filter((release) => compare(release, match?.[1] ?? "") < 0);
    match = /^(7\.\d+) and before$/.exec(part);
    if (match !== null) return RELEASES.filter((release) => compare(release, match?.[1] ?? "") <= 0);
    match = /^(7\.\d+)\+$/.exec(part);
    if (match !== null) return RELEASES.filter((release) => compare(release, match?.[1] ?? "") >= 0);
    match = /^(7\.\d+)-(7\.\d+)$/.exec(part);
    if (match !== null) return RELEASES.filter((release) => compare(release, match?.[1] ?? "") >= 0 && compare(release, match?.[2] ?? "") <= 0);
    return RELEASES.includes(part as Release) ? [part as Release] : undefined;
  });
  if (sets.some((set) => set === undefined || set.length === 0)) return undefined;
  return RELEASES.filter((release) => sets.some((set) => set?.includes(release)));
}

function compare(a: string, b: string): number {
  return Number(a.split(".")[1]) - Number(b.split(".")[1]);
}

const VERBS = new Set(["add", "set", "print", "remove", "start", "stop", "shell", "export", "get", "enable", "disable", "repull", "kill"]);

/** Words of a RouterOS command line: quotes and [...] kept whole. */
function splitWords(command: string): string[] {
  return command.match(/(?:[^\s"[\]]+|"[^"]*"|\[[^\]]*\])+/g) ?? [];
}

/** A command's path with its verb (`/container/config/set`) and its argument names; undefined for a menu without a verb. */
export function parseCommand(command: string): { readonly path: string; readonly args: readonly string[] } | undefined {
  const [first = "", ...rest] = splitWords(command.trim());
  const path = first.split("/").filter((part) => part !== "");
  let index = 0;
  while (!VERBS.has(path[path.length - 1] ?? "") && /^[a-z][a-z0-9-]*$/.test(rest[index] ?? "")) path.push(rest[index++] ?? "");
  if (!VERBS.has(path[path.length - 1] ?? "")) return undefined;
  const args = rest.slice(index).flatMap((word) => /^([a-z][a-z0-9-]*)=/.exec(word)?.[1] ?? []);
  return { path: `/${path.join("/")}`, args };
}

/** What is wrong with `command` in each of `releases`: an unknown /container command, or an argument a release lacks. */
export function checkCommand(command: string, releases: readonly Release[]): string[] {
  const parsed = parseCommand(command);
  if (parsed === undefined) return [];
  const forms = FORMS[parsed.path];
  if (forms === undefined) return parsed.path.startsWith("/container") ? [`${command}: ${parsed.path} is not in the test's table of forms (test/support/routeros-forms.ts)`] : [];
  return releases.flatMap((release) => parsed.args.filter((arg) => !forms[release].has(arg)).map((arg) => `${command}: RouterOS ${release} has no ${parsed.path} ${arg}=`));
}

/** A RouterOS command found in a text, with the label of its row, block or sentence (undefined: none). */
export interface CommandUse {
  readonly command: string;
  readonly label: string | undefined;
}

/**
 * The RouterOS commands of a markdown text: the lines of code blocks starting with `/` (labelled by a
 * line `RouterOS <label>:` just before the block) and inline code starting with `/` (labelled by the
 * first cell of its table row, when that cell is a label).
 */
export function findCommands(markdown: string): CommandUse[] {
  const uses: CommandUse[] = [];
  const lines = markdown.split("\n");
  let inBlock = false;
  let blockLabel: string | undefined;
  let lastText = "";
  for (const line of lines) {
    if (line.startsWith("```")) {
      blockLabel = inBlock ? undefined : /^RouterOS (.+):$/.exec(lastText)?.[1];
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) {
      if (line.startsWith("/")) uses.push({ command: line.replace(/\s+#.*$/, ""), label: blockLabel });
      continue;
    }
    if (line.trim() !== "") lastText = line.trim();
    const firstCell = /^\|\s*([^|]*?)\s*\|/.exec(line)?.[1]?.replace(/`/g, "");
    const rowLabel = firstCell !== undefined && releasesOf(firstCell) !== undefined ? firstCell : undefined;
    for (const match of line.matchAll(/`(\/[a-z][^`]*)`/g)) uses.push({ command: match[1] ?? "", label: rowLabel });
  }
  return uses;
}

/** The commands of a fix text: `RouterOS 7.21+: /cmd ...; /cmd ...; RouterOS 7.20 and before: /cmd`, `on the router: /cmd`. */
export function findFixCommands(text: string): CommandUse[] {
  const uses: CommandUse[] = [];
  let label: string | undefined;
  for (const segment of text.split(/; |\(|\)/).map((part) => part.trim())) {
    const labelled = /^RouterOS(?: ([^:]+))?: (.*)$/.exec(segment);
    if (labelled !== null) label = labelled[1] ?? "every release";
    const command = labelled?.[2] ?? segment.replace(/^on the router: /, "");
    if (command.startsWith("/")) uses.push({ command, label });
  }
  return uses;
}
