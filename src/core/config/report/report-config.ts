// Logs what loading the configuration found: warnings, then every problem, then one summary line.
import type { Logger } from "../../log/logger.ts";
import type { ConfigIssue } from "../config-issue.ts";
import type { ConfigLoad } from "../load-config.ts";

/** Logs warnings and problems of a configuration load. */
export function reportConfigLoad(log: Logger, load: ConfigLoad): void {
  for (const warning of load.warnings) log.warn("configuration warning", issueFields(warning));
  if (load.ok) return;
  for (const issue of load.issues) log.error("invalid setting", issueFields(issue));
  log.error("configuration invalid, nothing started", { problems: load.problemCount });
}

function issueFields(issue: ConfigIssue): Record<string, unknown> {
  return { variable: issue.variable, value: issue.value, problem: issue.problem, fix: issue.fix };
}
