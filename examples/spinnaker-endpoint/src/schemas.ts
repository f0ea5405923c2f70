import { z } from 'zod';

/**
 * What Orca's webhook stage sends. Stage parameters are strings, so `context` may also come
 * as a JSON object in a string (`contextJson`).
 */
export const startBody = z.object({
  deployFile: z.string().min(1).describe('The deployment file (YAML); manifests inline or in `manifests`'),
  manifests: z.record(z.string(), z.string()).optional().describe('Manifests the file names by relative path: path → content'),
  context: z.record(z.string(), z.string()).optional(),
  contextJson: z.string().optional().describe('The same as `context`, as JSON text (what a stage parameter can hold)'),
  /** Who started it (e.g. `${execution.authentication.user}`), recorded on the deployment. */
  user: z.string().max(200).optional(),
});
export type StartBody = z.infer<typeof startBody>;

export const idParams = z.object({ id: z.string().min(1).max(200) });

/** Statuses Orca's stage settings name (successStatuses, canceledStatuses, terminalStatuses). */
export const ORCA_SUCCESS = ['SUCCEEDED'] as const;
export const ORCA_CANCELED = ['CANCELLED'] as const;
export const ORCA_TERMINAL = ['FAILED', 'REJECTED'] as const;
