/** The `ferry` command's exit codes, the same as the reference CLI's. */
export const ExitCode = {
  Success: 0,
  /** Something failed: an invalid file, an unreachable cluster, a failed deployment. */
  Error: 1,
  /** The command line itself is wrong: unknown flag, missing argument. */
  Usage: 2,
  /** The application already has a deployment in progress. */
  Conflict: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
