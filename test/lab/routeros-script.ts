// Reads what a RouterOS script (docker/routeros/tailscale-update.rsc) requests, so a test can make exactly those
// requests with curl standing in for /tool/fetch: the script's string expressions evaluated the way
// RouterOS does (literals with escapes and $variables, joined by "."), its /tool/fetch calls, and
// http-header-field split into headers as fetch sends them. No RouterOS runs here; only this subset of
// the language (what the script's request lines use) is understood, anything else is an error.

/** A /tool/fetch call: the variables it takes its URL and headers from, and its output mode. */
export interface FetchCall {
  readonly urlVariable: string;
  readonly headerVariable: string | undefined;
  readonly output: string;
}

/** Evaluates a string expression: `"literal $var"`, `$var`, or `(a . b . ...)`. */
export function evaluate(expression: string, variables: Record<string, string>): string {
  let at = 0;
  const skipSpaces = () => {
    while (/\s/.test(expression[at] ?? "")) at += 1;
  };
  const variable = (): string => {
    const name = /^[A-Za-z][A-Za-z0-9-]*/.exec(expression.slice(at))?.[0];
    if (name === undefined) throw new Error(`unsupported $ form at ${at} in ${expression}`);
    at += name.length;
    const value = variables[name];
    if (value === undefined) throw new Error(`$${name} is not set (in ${expression})`);
    return value;
  };
  const literal = (): string => {
    let text = "";
    for (at += 1; expression[at] !== '"'; at += 1) {
      const char = expression[at];
      if (char === undefined) throw new Error(`unterminated string in ${expression}`);
      if (char === "$") {
        at += 1;
        text += variable();
        at -= 1;
      } else if (char === "\\") {
        const next = expression[at + 1] ?? "";
        const hex = /^[0-9A-F]{2}/.exec(expression.slice(at + 1))?.[0];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", $: "$", n: "\n", r: "\r", t: "\t", _: " " };
        if (hex !== undefined) {
          text += String.fromCharCode(Number.parseInt(hex, 16));
          at += 2;
        } else if (next in simple) {
          text += simple[next];
          at += 1;
        } else throw new Error(`unsupported escape \\${next} in ${expression}`);
      } else text += char;
    }
    at += 1;
    return text;
  };
  const term = (): string => {
    skipSpaces();
    const char = expression[at];
    if (char === '"') return literal();
    if (char === "$") {
      at += 1;
      return variable();
    }
    if (char === "(") {
      at += 1;
      let value = term();
      for (skipSpaces(); expression[at] === "."; skipSpaces()) {
        at += 1;
        value += term();
      }
      if (expression[at] !== ")") throw new Error(`expected ) at ${at} in ${expression}`);
      at += 1;
      return value;
    }
    throw new Error(`unsupported expression at ${at}: ${expression}`);
  };
  const value = term();
  skipSpaces();
  if (at !== expression.length) throw new Error(`trailing text at ${at} in ${expression}`);
  return value;
}

/**
 * The string variables of the script's top-level `:local NAME EXPR` lines, in order, each evaluated
 * with the ones before it; `settings` replace the values the script sets (the settings block a user
 * edits). Lines whose value is not a string expression (true, [command]) are left out.
 */
export function readLocals(script: string, settings: Record<string, string>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [, name = "", expression = ""] of script.matchAll(/^:local ([A-Za-z][A-Za-z0-9-]*) (.+)$/gm)) {
    if (!/^["$(]/.test(expression)) continue;
    if (expression.startsWith("(") && expression.includes("[")) throw new Error(`:local ${name} uses a command; the test cannot evaluate it`);
    variables[name] = settings[name] ?? evaluate(expression, variables);
  }
  for (const name of Object.keys(settings)) if (!(name in variables)) throw new Error(`the script sets no ${name}`);
  return variables;
}

/** The expression of `:set NAME EXPR` in the script (the only one for NAME). */
export function readSet(script: string, name: string): string {
  const sets = [...script.matchAll(new RegExp(`:set ${name} (\\(.*\\)|"[^"]*")`, "g"))];
  if (sets.length !== 1) throw new Error(`expected one ":set ${name}", found ${sets.length}`);
  return sets[0]?.[1] ?? "";
}

/** Every /tool/fetch call of the script, in order. */
export function readFetchCalls(script: string): FetchCall[] {
  const code = script.replace(/^\s*#.*$/gm, "");
  return [...code.matchAll(/\/tool\/fetch ([^\]\n]*)/g)].map(([, args = ""]) => {
    const arg = (key: string) => new RegExp(`(?:^| )${key}=(\\S+)`).exec(args)?.[1];
    const variableOf = (key: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      if (!/^\$[A-Za-z][A-Za-z0-9-]*$/.test(value)) throw new Error(`/tool/fetch ${key}=${value}: the test reads only $variables`);
      return value.slice(1);
    };
    const urlVariable = variableOf("url", arg("url"));
    if (urlVariable === undefined) throw new Error(`/tool/fetch without url=: ${args}`);
    return { urlVariable, headerVariable: variableOf("http-header-field", arg("http-header-field")), output: arg("output") ?? "file" };
  });
}

/**
 * http-header-field as fetch sends it: "Name:value" pairs separated by commas (a comma inside a
 * value is written \\, in the script's text, i.e. "\," in the evaluated string).
 */
export function splitHeaderField(field: string): Array<[string, string]> {
  return field.split(/(?<!\\),/).map((pair) => {
    const colon = pair.indexOf(":");
    if (colon < 1) throw new Error(`not a Name:value header: ${pair}`);
    return [pair.slice(0, colon), pair.slice(colon + 1).replaceAll("\\,", ",")];
  });
}
