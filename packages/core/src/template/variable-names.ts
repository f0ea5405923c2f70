/** The `{{armory.NAME}}` / `{{ferry.NAME}}` variables of deploy-config.md, besides `preview.SERVICE`. */
export const BUILT_IN_VARIABLES = [
  'startTimeIso8601',
  'startTimeEpochSeconds',
  'startTimeEpochMillis',
  'endTimeIso8601',
  'endTimeEpochSeconds',
  'endTimeEpochMillis',
  'intervalMillis',
  'intervalSeconds',
  'promQlStepInterval',
  'deploymentId',
  'applicationName',
  'environmentName',
  'replicaSetName',
  'accountName',
  'namespace',
  'callbackUri',
] as const;

export type BuiltInVariable = (typeof BUILT_IN_VARIABLES)[number];

const BUILT_IN_SET: ReadonlySet<string> = new Set(BUILT_IN_VARIABLES);

/** `preview.SERVICE`: the preview URL of a Service exposed by an earlier exposeServices step. */
export const PREVIEW_PREFIX = 'preview.';

export function isBuiltInVariable(name: string): boolean {
  if (name.startsWith(PREVIEW_PREFIX)) return name.length > PREVIEW_PREFIX.length;
  return BUILT_IN_SET.has(name);
}
