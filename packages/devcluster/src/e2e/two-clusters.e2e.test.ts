import { afterEach, describe, expect, it } from 'vitest';
import { httpGet } from '../cluster/health.js';
import { createTestNamespace, devcluster, type TestNamespace } from '../vitest/index.js';

describe('two dev clusters side by side', () => {
  const created: TestNamespace[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((ns) => ns.delete()));
  });

  it('have their own API servers, CAs and data', async () => {
    const [a, b] = [devcluster(0), devcluster(1)];
    expect(a.server).not.toBe(b.server);
    expect(a.dir).not.toBe(b.dir);

    const nsA = await createTestNamespace({ cluster: 0, prefix: 'only-in-a' });
    created.push(nsA);
    await nsA.core.createNamespacedConfigMap({ namespace: nsA.name, body: { metadata: { name: 'marker' }, data: { cluster: a.name } } });
    expect((await nsA.core.readNamespacedConfigMap({ name: 'marker', namespace: nsA.name })).data).toEqual({ cluster: a.name });

    const nsB = await createTestNamespace({ cluster: 1, prefix: 'only-in-b' });
    created.push(nsB);
    // Cluster B has neither A's namespace nor its ConfigMap.
    await expect(nsB.core.readNamespace({ name: nsA.name })).rejects.toMatchObject({ code: 404 });
    await expect(nsA.core.readNamespace({ name: nsB.name })).rejects.toMatchObject({ code: 404 });

    // Each cluster has its own CA: A's admin certificate means nothing to B (401), and B's
    // serving certificate does not verify against A's CA.
    const aTls = { caCert: `${b.dir}/pki/ca.crt`, clientCert: `${a.dir}/pki/admin.crt`, clientKey: `${a.dir}/pki/admin.key` };
    expect((await httpGet(`${b.server}/api/v1/namespaces`, aTls)).status).toBe(401);
    await expect(httpGet(`${b.server}/readyz`, { caCert: `${a.dir}/pki/ca.crt` })).rejects.toThrow(/certificate/i);
  });
});
