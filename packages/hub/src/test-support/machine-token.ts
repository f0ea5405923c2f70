import { randomBytes } from 'node:crypto';
import type { Grant, HubRepositories } from '../contracts.js';
import { clientCredentialsToken, type TestHub } from './start-test-hub.js';

/**
 * A machine credential made straight in the hub's database (the test's own repositories on
 * the same file or schema), then a client-credentials grant against the hub's token endpoint.
 */
export async function machineToken(
  repositories: HubRepositories,
  fetch: TestHub['fetch'],
  input: { tenant: string; roles?: string[]; grants?: Grant[] },
): Promise<string> {
  await repositories.tenants.ensure(input.tenant);
  const roles = [...(input.roles ?? [])];
  if (input.grants) {
    const name = `test-${randomBytes(4).toString('hex')}`;
    await repositories.roles.put({ tenant: input.tenant, name, grants: input.grants });
    roles.push(name);
  }
  const { credential, clientSecret } = await repositories.credentials.create({ tenant: input.tenant, name: `test-${randomBytes(4).toString('hex')}`, roles });
  return clientCredentialsToken(fetch, credential.clientId, clientSecret);
}

export const ORGANIZATION_FULL: Grant[] = [{ type: 'api', resource: 'organization', permission: 'full' }];
