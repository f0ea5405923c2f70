import { FerryInputError } from '@ferry/core';
import type { Backend, DeploymentView } from '../backend/types.js';
import { envOption } from '../options.js';

/** `-i, --deploymentId` as in the reference CLI (`--deploymentID` and `--id` are accepted too). */
export function deploymentIdOption() {
  return envOption('-i, --deploymentId <id>', 'the deployment id', 'FERRY_DEPLOYMENT_ID').makeOptionMandatory();
}

/** Rewrites the spellings commander cannot alias. */
export function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => arg.replace(/^--(deploymentID|deployment-id|id)(=|$)/, '--deploymentId$2'));
}

/** The target an action applies to: the one named, else the only one waiting for a person. */
export async function targetFor(backend: Backend, id: string, given: string | undefined, action: string): Promise<string> {
  if (given) return given;
  const view: DeploymentView = await backend.status(id);
  const waiting = view.environments.filter((e) => e.approval || e.steps.some((s) => s.status === 'WAITING'));
  if (waiting.length === 1) return (waiting[0] as { name: string }).name;
  const names = (waiting.length > 0 ? waiting : view.environments).map((e) => e.name).join(', ');
  throw new FerryInputError(`which target should ${action} act on? pass -t TARGET (${waiting.length > 0 ? 'waiting' : 'targets'}: ${names || 'none'})`, { code: 'target_required' });
}
