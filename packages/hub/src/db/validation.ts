import { z } from 'zod';
import { GRANT_RESOURCES } from '../contracts.js';

/** Shared field rules for repository inputs. */
export const tenantName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const plainName = z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters');
export const roleNames = z.array(plainName).max(100, 'at most 100 roles');
export const email = z.string().max(254).email('must be an email address');
export const password = z.string().min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters');

export const grantSchema = z
  .object({
    type: z.literal('api'),
    resource: z.enum(GRANT_RESOURCES),
    permission: z.enum(['full', 'read']),
  })
  .strict();
export const grantsSchema = z.array(grantSchema);
