import type { Command } from 'commander';
import { isTerminalDeploymentStatus, type DeploymentStatus } from '@ferry/core';
import { ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';

/** What every verb's registration receives. */
export interface CommandContext {
  io: CliIO;
  setExit: (code: ExitCode) => void;
  /** Aborted on SIGINT/SIGTERM: long-running verbs stop cleanly. */
  signal: AbortSignal;
}

export type Register = (parent: Command, ctx: CommandContext) => void;

/** A finished deployment's exit code: 0 when it succeeded, 1 otherwise. */
export function exitCodeOf(status: DeploymentStatus): ExitCode {
  if (status === 'SUCCEEDED') return ExitCode.Success;
  return isTerminalDeploymentStatus(status) ? ExitCode.Error : ExitCode.Success;
}
