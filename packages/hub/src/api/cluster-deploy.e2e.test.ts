import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-support/index.js';
import { MANIFESTS, eventType, getJson, openSse, until, waitingDeployFile } from './e2e-support.js';

/**
 * A deployment through the REST API onto a real target: the dev cluster's context is an
 * account of tenant `default` (the hub's kubeconfig). While its target pauses, a second start
 * answers 409; skipping the pause lets it apply and succeed, and the objects are in the cluster.
 */
describe.each(['sqlite', 'postgres'] as const)('a deployment onto the dev cluster through the API (%s)', (database) => {
  let namespace: TestNamespace;
  let hub: TestHub;
  let token: string;

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: `api-${database}` });
    hub = await startTestHub({ database, kubeconfig: namespace.kubeconfigPath });
    token = await hub.adminToken();
  });
  afterAll(async () => {
    await hub?.close();
    await namespace?.delete();
  });

  it('holds the application while it is in flight (409), then deploys it', async () => {
    const account = namespace.kubeConfig.getCurrentContext();
    const deployFile = waitingDeployFile(namespace.name, { pauseSeconds: 600 }, account);
    const started = await hub.fetch('/api/v1/deployments', { method: 'POST', token, json: { deployFile, manifests: MANIFESTS } });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const stream = await openSse(hub, `/api/v1/deployments/${id}/events/stream`, token);

    const second = await hub.fetch('/api/v1/deployments', { method: 'POST', token, json: { deployFile, manifests: MANIFESTS } });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('deployment_in_progress');

    await until(() => getJson<{ environments: Array<{ steps: Array<{ status: string }> }> }>(hub, `/api/v1/deployments/${id}`, token), (r) => r.body.environments[0]?.steps[0]?.status === 'WAITING');
    expect((await hub.fetch(`/api/v1/deployments/${id}/skip`, { method: 'POST', token, json: { target: 'staging' } })).status).toBe(202);

    await stream.ended;
    const last = stream.events.filter((e) => e.data).at(-1);
    expect(last && eventType(last)).toBe('deployment.completed');
    const status = await getJson<{ status: string; environments: Array<{ status: string; steps: Array<{ kind: string; status: string }> }> }>(hub, `/api/v1/deployments/${id}`, token);
    expect(status.body.status).toBe('SUCCEEDED');
    expect(status.body.environments[0]?.steps.map((s) => [s.kind, s.status])).toEqual([
      ['pause', 'SUCCEEDED'],
      ['apply', 'SUCCEEDED'],
    ]);
    const configMap = await namespace.core.readNamespacedConfigMap({ name: 'settings', namespace: namespace.name });
    expect(configMap.data).toEqual({ greeting: 'hello' });

    // The application is free again.
    const third = await hub.fetch('/api/v1/deployments', { method: 'POST', token, json: { deployFile, manifests: MANIFESTS } });
    expect(third.status).toBe(202);
    const next = (await third.json()) as { id: string };
    expect((await hub.fetch(`/api/v1/deployments/${next.id}/cancel`, { method: 'POST', token, json: {} })).status).toBe(202);
  });
});
