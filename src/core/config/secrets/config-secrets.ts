// The secrets an environment holds, found before anything is parsed, and problem texts made safe to print.
import { createRedactor, type Redactor } from "../../log/redact.ts";
import { clipText } from "../../text/clip.ts";
import { createIssue, type ConfigIssue } from "../config-issue.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec } from "../env-schema.ts";
import { MAX_VALUE_LENGTH } from "../parse-settings.ts";


/**
 * Every secret in our variables (all names, the losing alias's too): keys, key flags in arguments,
 * and in any value what has a secret's shape (a key, a key word's value, a URL password). Registered,
 * they are redacted even where a message shows only a part or a derivative of the value (a route
 * list entry by entry, a host name turned into a suggestion).
 */
export function collectSecrets(env: Readonly<Record<string, string>>): string[] {
  const secrets: string[] = [];
  const shapes = createRedactor();
  for (const key of SETTING_KEYS) {
    const spec: EnvVarSpec<unknown> = ENV_VARS[key];
    const scanned = new Set<string>();
    for (const name of [spec.name, ...spec.aliases]) {
      const value = env[name];
      // A value too long to be parsed is never shown either (parse-settings.ts); an alias holding
      // the same value has the same secrets.
      if (value === undefined || value.length > MAX_VALUE_LENGTH || scanned.has(value)) continue;
      scanned.add(value);
      for (const secret of spec.findSecrets?.(value) ?? []) secrets.push(secret);
      for (const span of shapes.findSpans(value)) secrets.push(value.slice(span.start, span.end));
    }
  }
  return secrets;
}

// A problem list is for people: the first few per variable, and at most this many in all.
const MAX_ISSUES_PER_VARIABLE = 10;
const MAX_ISSUES = 40;
const MAX_SHOWN = { variable: 80, value: 120, text: 400 } as const;

/** A redactor that knows the secrets, made when first needed (thousands of secrets take a while). */
export function createSecretsRedactor(secrets: readonly string[]): () => Redactor {
  let redactor: Redactor | undefined;
  return () => {
    if (redactor === undefined) {
      redactor = createRedactor();
      for (const secret of secrets) redactor.addSecret(secret);
    }
    return redactor;
  };
}

/**
 * Keeps the first problems of each variable (counting the rest) and shortens long texts, redacting
 * them first: a secret cut in two would escape the output's redactor, which sees every other text.
 */
export function tidyIssues(issues: readonly ConfigIssue[], redactor: () => Redactor): ConfigIssue[] {
  if (issues.length === 0) return [];
  const clean = (text: string, max: number): string => (text.length <= max ? text : clipText(redactor().redact(text), max));
  return limitIssues(issues).map((issue) =>
    createIssue(
      clean(issue.variable, MAX_SHOWN.variable),
      clean(issue.problem, MAX_SHOWN.text),
      clean(issue.fix, MAX_SHOWN.text),
      issue.value === undefined ? undefined : clean(issue.value, MAX_SHOWN.value),
    ),
  );
}

function limitIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const perVariable = new Map<string, number>();
  const hidden = new Map<string, number>();
  const kept: ConfigIssue[] = [];
  let hiddenElsewhere = 0;
  for (const issue of issues) {
    const count = (perVariable.get(issue.variable) ?? 0) + 1;
    perVariable.set(issue.variable, count);
    if (count > MAX_ISSUES_PER_VARIABLE) hidden.set(issue.variable, (hidden.get(issue.variable) ?? 0) + 1);
    else if (kept.length >= MAX_ISSUES) hiddenElsewhere += 1;
    else kept.push(issue);
  }
  for (const [variable, count] of hidden) {
    if (kept.length >= MAX_ISSUES) hiddenElsewhere += count;
    else kept.push(createIssue(variable, `has ${count} more problems like the ones above (not shown)`, "fix the ones shown, then look again with the config command"));
  }
  if (hiddenElsewhere > 0) kept.push(createIssue("(others)", `${hiddenElsewhere} more problems or warnings are not shown`, "fix the ones shown, then look again with the config command"));
  return kept;
}
