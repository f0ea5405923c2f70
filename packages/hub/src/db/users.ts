import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { UserRecord, UserRepository } from '../contracts.js';
import { burnPasswordCheck, hashInvitationCode, hashPassword, newInvitationCode, verifyPassword } from './passwords.js';
import type { HubTables, UsersTable } from './schema.js';
import { insertOrConflict, parseInput, parseJsonArray, requireTenant, toMs } from './sql-helpers.js';
import { email, password, roleNames, tenantName } from './validation.js';

const createInput = z.object({ tenant: tenantName, email, roles: roleNames, password: password.optional() });
const acceptInput = z.object({ code: z.string().min(1, 'must not be empty'), password });

export function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    email: row.email,
    roles: parseJsonArray(row.roles),
    createdAt: toMs(row.created_at),
    invited: row.password_hash === null,
  };
}

/** Local users: emails are unique across the organization because they are the login name. */
export class SqlUserRepository implements UserRepository {
  readonly #db: Kysely<HubTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db;
  }

  async list(tenant: string): Promise<UserRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_users').selectAll().where('tenant', '=', tenant).orderBy('email').execute();
    return rows.map(toUserRecord);
  }

  async get(tenant: string, id: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_users').selectAll().where('tenant', '=', tenant).where('id', '=', id).executeTakeFirst();
    return row ? toUserRecord(row) : null;
  }

  /** The identity service's lookup by subject (the tenant is not in the token's `sub`). */
  async getById(id: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUserRecord(row) : null;
  }

  async findByEmail(address: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_users').selectAll().where('email', '=', address.trim().toLowerCase()).executeTakeFirst();
    return row ? toUserRecord(row) : null;
  }

  async create(input: { tenant: string; email: string; roles: string[]; password?: string }): Promise<{ user: UserRecord; invitationCode?: string }> {
    const valid = parseInput(createInput, input, 'user');
    await requireTenant(this.#db, valid.tenant);
    const invitationCode = valid.password === undefined ? newInvitationCode() : undefined;
    const row = {
      id: randomUUID(),
      tenant: valid.tenant,
      email: valid.email.trim().toLowerCase(),
      roles: JSON.stringify([...new Set(valid.roles)]),
      password_hash: valid.password === undefined ? null : await hashPassword(valid.password),
      invitation_hash: invitationCode === undefined ? null : hashInvitationCode(invitationCode),
      created_at: Date.now(),
    };
    await insertOrConflict(() => this.#db.insertInto('ferry_hub_users').values(row).execute(), `a user with email "${row.email}" already exists`);
    const user = toUserRecord(row);
    return invitationCode === undefined ? { user } : { user, invitationCode };
  }

  async acceptInvitation(code: string, newPassword: string): Promise<UserRecord> {
    const valid = parseInput(acceptInput, { code, password: newPassword }, 'invitation');
    const passwordHash = await hashPassword(valid.password);
    const invitationHash = hashInvitationCode(valid.code);
    // Clearing the hash in the same update makes the code single-use even under a race.
    const result = await this.#db
      .updateTable('ferry_hub_users')
      .set({ password_hash: passwordHash, invitation_hash: null })
      .where('invitation_hash', '=', invitationHash)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new FerryNotFoundError('unknown or already used invitation code', { code: 'invitation_not_found' });
    }
    const row = await this.#db.selectFrom('ferry_hub_users').selectAll().where('password_hash', '=', passwordHash).executeTakeFirstOrThrow();
    return toUserRecord(row);
  }

  async verifyPassword(address: string, candidate: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_users').selectAll().where('email', '=', address.trim().toLowerCase()).executeTakeFirst();
    if (!row?.password_hash) {
      await burnPasswordCheck(candidate);
      return null;
    }
    return (await verifyPassword(candidate, row.password_hash)) ? toUserRecord(row) : null;
  }

  async setRoles(tenant: string, id: string, roles: string[]): Promise<UserRecord> {
    const valid = parseInput(roleNames, roles, 'roles');
    const result = await this.#db
      .updateTable('ferry_hub_users')
      .set({ roles: JSON.stringify([...new Set(valid)]) })
      .where('tenant', '=', tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(tenant, id);
    return (await this.get(tenant, id)) as UserRecord;
  }

  async delete(tenant: string, id: string): Promise<void> {
    const result = await this.#db.deleteFrom('ferry_hub_users').where('tenant', '=', tenant).where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(tenant, id);
  }
}

function notFound(tenant: string, id: string): FerryNotFoundError {
  return new FerryNotFoundError(`user "${id}" not found in tenant "${tenant}"`, { code: 'user_not_found' });
}
