import type { ZodType } from 'zod';

export const REFERENCE_FILE: string;
export function renderDeployReference(schema: ZodType): { markdown: string; missing: string[] };
