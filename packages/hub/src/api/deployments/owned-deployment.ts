import { FerryNotFoundError, isFerryError, type DeploymentRecordV1 } from '@ferry/core';
import type { ApiContext, Principal } from '../../contracts.js';

/** Records without a tenant belong to `default` (as core's stores read them). */
export function tenantOfRecord(record: { tenant?: string }): string {
  return record.tenant ?? 'default';
}

/**
 * The caller's tenant's deployment, or 404. Another tenant's deployment answers exactly as
 * a missing one does, so ids cannot be probed across tenants.
 */
export async function ownedDeployment(ctx: Pick<ApiContext, 'engine'>, principal: Principal, id: string): Promise<DeploymentRecordV1> {
  let record: DeploymentRecordV1 | undefined;
  try {
    record = await ctx.engine.get(id);
  } catch (error) {
    if (!(isFerryError(error) && error instanceof FerryNotFoundError)) throw error;
  }
  if (!record || tenantOfRecord(record) !== principal.tenant) {
    throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
  }
  return record;
}
