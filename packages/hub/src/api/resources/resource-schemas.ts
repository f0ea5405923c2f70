import { z } from 'zod';
import { GRANT_RESOURCES } from '../../contracts.js';

/** Schemas shared by the configuration routes (targets, integrations, credentials, secrets, roles, tenants, users). */

export const nameParam = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-", starting with a letter or digit');

export const iso = z.string().describe('ISO-8601 time');

export const grantSchema = z.object({
  type: z.literal('api'),
  resource: z.enum(GRANT_RESOURCES),
  permission: z.enum(['full', 'read']),
});

export const roleSchema = z.object({ name: z.string().min(1).max(253), tenant: z.string().min(1).max(63), grants: z.array(grantSchema) });

/** The reference CLI's `config apply` document. */
export const rolesDocumentSchema = z.object({ roles: z.array(roleSchema) });

export const roleNamesSchema = z.array(z.string().min(1).max(253)).max(100);

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
