/** Exit codes of every `wardflow` command (DESIGN.md, "The `wardflow` command"). */
export const ExitCode = {
  /** Success, with or without findings. */
  OK: 0,
  /** A runtime failure, or input that broke off (the summary says which). */
  FAILURE: 1,
  /** Usage or configuration error. */
  USAGE: 2,
  /** `--fail-on` was given and a finding at or above that severity exists. */
  FINDINGS: 4,
} as const;
