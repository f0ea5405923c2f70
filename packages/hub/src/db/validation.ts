import { z } from 'zod';
import { GRANT_RESOURCES } from '../contracts.js';

/** Shared field rules for repository inputs. */
export const tenantName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const plainName = z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters');
export const roleNames = z.array(plainName).max(100, 'at most 100 roles');
/** Bounds of a credential's own access-token lifetime: a minute to a year (deleting the credential revokes its tokens). */
export const MIN_TOKEN_TTL_SECONDS = 60;
export const MAX_TOKEN_TTL_SECONDS = 365 * 24 * 3600;
export const tokenTtlSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(MIN_TOKEN_TTL_SECONDS, `must be at least ${MIN_TOKEN_TTL_SECONDS} seconds`)
  .max(MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds (365 days)`);
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
