// Problems and warnings found in the configuration, each naming the variable and the fix.

/** One problem with one variable. `value` is what the user wrote, already redacted if secret. */
export interface ConfigIssue {
  readonly variable: string;
  readonly value?: string;
  readonly problem: string;
  readonly fix: string;
}

/** Builds an issue, leaving `value` out when there is none to show. */
export function createIssue(variable: string, problem: string, fix: string, value?: string): ConfigIssue {
  return value === undefined ? { variable, problem, fix } : { variable, value, problem, fix };
}
