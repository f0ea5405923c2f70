import type { SecretVault } from '../contracts.js';

const SECRET_REFERENCE = /\{\{\s*secrets\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Integration settings keep secret values out of the database: a string setting may be
 * `{{secrets.NAME}}` (or contain it), resolved from the tenant's vault when a provider is
 * built. The resolved copy lives only in memory.
 */
export async function resolveSecretSettings(settings: Record<string, unknown>, tenant: string, vault: SecretVault): Promise<Record<string, unknown>> {
  return (await resolveValue(settings, tenant, vault)) as Record<string, unknown>;
}

async function resolveValue(value: unknown, tenant: string, vault: SecretVault): Promise<unknown> {
  if (typeof value === 'string') {
    const names = [...value.matchAll(SECRET_REFERENCE)].map((m) => m[1] as string);
    if (names.length === 0) return value;
    const revealed = new Map<string, string>();
    for (const name of new Set(names)) revealed.set(name, await vault.reveal(tenant, name));
    return value.replace(SECRET_REFERENCE, (_all, name: string) => revealed.get(name) as string);
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveValue(v, tenant, vault)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveValue(v, tenant, vault)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
