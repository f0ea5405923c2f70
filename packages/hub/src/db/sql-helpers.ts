import { FerryConflictError, FerryInputError, FerryNotFoundError } from '@ferry/core';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { HubTables } from './schema.js';

/** pg answers bigint columns as strings; SQLite as numbers. */
export function toMs(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/** A unique or primary-key violation on either backend. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Runs an insert; a duplicate key becomes a FerryConflictError with the given message. */
export async function insertOrConflict<T>(insert: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw new FerryConflictError(conflictMessage, { code: 'already_exists' });
    throw error;
  }
}

/** Validates input at the repository boundary; the message names the offending field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || what;
  throw new FerryInputError(`${path}: ${issue?.message ?? 'invalid'}`, {
    diagnostics: result.error.issues.map((i) => ({
      severity: 'error' as const,
      code: i.code,
      path: i.path.map(String).join('.'),
      message: i.message,
    })),
  });
}

export function parseJsonArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** FerryNotFoundError unless the tenant exists (writes into an unknown tenant are refused). */
export async function requireTenant(db: Kysely<HubTables>, tenant: string): Promise<void> {
  const row = await db.selectFrom('ferry_hub_tenants').select('name').where('name', '=', tenant).executeTakeFirst();
  if (!row) throw new FerryNotFoundError(`tenant "${tenant}" does not exist`, { code: 'tenant_not_found' });
}
