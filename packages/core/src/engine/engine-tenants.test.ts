import { describe, expect, it } from 'vitest';
import type { ClusterConnectorV1, ClusterTarget } from '../plugins/contracts.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { createFakeCluster, createManualClock, MemoryStore, testDeployFile, testTarget, timedPause } from '../testing/index.js';
import { createEngine } from './create-engine.js';

/** A hub's connector: each tenant reaches only its own accounts. */
function tenantConnector(accounts: Record<string, string[]>, seen: ClusterTarget[]): ClusterConnectorV1 {
  const cluster = createFakeCluster();
  return {
    specificationVersion: 'v1',
    kind: 'per-tenant',
    handles: (account, tenant = 'default') => accounts[tenant]?.includes(account) ?? false,
    async client(target) {
      seen.push(target);
      return cluster.client(target.account, target.namespace);
    },
  };
}

describe('engine: tenants', () => {
  it('passes the tenant to connectors, keeps the application rule per tenant and filters lists by tenant', async () => {
    const seen: ClusterTarget[] = [];
    const engine = createEngine({
      store: new MemoryStore(),
      clock: createManualClock(),
      plugins: [definePlugin({ id: 'test.tenants', register: (ctx) => ctx.clusterConnectors.add(tenantConnector({ acme: ['acme-prod'], default: ['ours'] }, seen)) })],
    });
    try {
      const file = (account: string) => testDeployFile({ targets: { prod: testTarget('prod', { account }) } });
      const acme = await engine.start(file('acme-prod'), { tenant: 'acme' });
      expect(acme.tenant).toBe('acme');
      await engine.idle();
      expect((await engine.get(acme.id)).state.status).toBe('SUCCEEDED');
      expect(seen).toEqual([expect.objectContaining({ account: 'acme-prod', tenant: 'acme' })]);

      // Another tenant cannot reach acme's account through the same engine.
      const intruder = await engine.start(file('acme-prod'), { tenant: 'globex' });
      await engine.idle();
      const failed = await engine.get(intruder.id);
      expect(failed.state.status).toBe('FAILED');
      expect(failed.state.reason).toContain('no cluster connector reaches account "acme-prod" for tenant "globex"');

      expect((await engine.list({ tenant: 'acme' })).map((d) => d.id)).toEqual([acme.id]);
      expect((await engine.list({ tenant: 'globex' })).map((d) => d.id)).toEqual([intruder.id]);
      expect(await engine.list({ tenant: 'default' })).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('lets two tenants run the same application at once, and redeploys in the original tenant', async () => {
    const engine = createEngine({
      store: new MemoryStore(),
      clock: createManualClock(),
      plugins: [definePlugin({ id: 'test.tenants', register: (ctx) => ctx.clusterConnectors.add(tenantConnector({ a: ['x'], b: ['x'] }, [])) })],
    });
    try {
      const file = testDeployFile({ targets: { prod: testTarget('prod', { account: 'x', before: [timedPause(60)] }) } });
      const first = await engine.start(file, { tenant: 'a' });
      const second = await engine.start(file, { tenant: 'b' });
      await expect(engine.start(file, { tenant: 'a' })).rejects.toMatchObject({ code: 'deployment_in_progress' });
      await engine.cancel(first.id, { by: 'alice' });
      await engine.idle();
      const again = await engine.redeploy(first.id, { by: 'alice' });
      expect(again.tenant).toBe('a');
      expect(second.tenant).toBe('b');
    } finally {
      await engine.close();
    }
  });
});
