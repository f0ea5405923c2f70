import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, type HubOptions, type RunningHub } from '@ferry/hub';

export interface CiTestHub {
  hub: RunningHub;
  url: string;
  /** The hub's local CA certificate, as a file CI would be given. */
  caFile: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * A real hub in this process (SQLite, its own local CA, 127.0.0.1 port 0) with a machine
 * credential that may start and read deployments, as a CI system is given one.
 */
export async function startCiHub(options: Pick<HubOptions, 'kubeconfig'> = {}): Promise<CiTestHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-ci-hub-'));
  const hub = await startHub({ dataDir, host: '127.0.0.1', port: 0, logLevel: 'silent', ...options });
  try {
    await hub.repositories.tenants.ensure('default');
    await hub.repositories.roles.put({ tenant: 'default', name: 'ci-deployer', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
    const { credential, clientSecret } = await hub.repositories.credentials.create({ tenant: 'default', name: 'ci', roles: ['ci-deployer'] });
    if (!hub.caFile) throw new Error('the test hub has no CA file');
    return {
      hub,
      url: hub.url,
      caFile: hub.caFile,
      clientId: credential.clientId,
      clientSecret,
      async close() {
        await hub.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
