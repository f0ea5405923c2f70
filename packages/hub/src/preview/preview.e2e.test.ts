import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type RemoteNetworkAgent } from '@ferry/agent';
import { readPodPorts } from '@ferry/devcluster';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountKubeconfig } from '../relay-acceptance/support.js';
import { deploymentsClient, pauseIsWaiting, sampleAppDeployFile, startTestHub, waitFor, type HubEvent, type TestHub } from '../test-support/index.js';
import { openHubDatabase } from '../db/index.js';
import { SqlPreviewRepository, type PreviewsTable } from '../db/previews.js';
import { hashPreviewToken } from './preview-token.js';
import type { PreviewUpstream } from './upstream.js';

/**
 * A canary's exposeServices step on the dev cluster, through a real hub and a real agent that
 * holds only a ServiceAccount token: the preview URL answers the sample app's responses
 * (relayed hub → agent → pod), then 410 once its TTL has passed; a made-up token answers 404.
 *
 * The dev cluster's pods are local processes with placeholder pod IPs, so neither the API
 * server's service proxy (the hub's default upstream) nor cluster DNS reaches them. The last
 * hop is therefore swapped: the agent (allowlisting 127.0.0.1) dials a ready pod's loopback
 * port, read from the simulated node's pods.json. Hub, token, database and relay are the real ones.
 */
let namespace: TestNamespace;
const SERVICE = 'hub-sample-app';
const TTL_SECONDS = 12;

const devclusterUpstream: PreviewUpstream = (service, pathAndQuery) => {
  const pods = Object.values(readPodPorts(namespace.cluster.dir).pods).filter((pod) => pod.namespace === service.namespace && pod.ready);
  const port = pods.map((pod) => pod.ports['8080']).find((p) => p !== undefined);
  if (port === undefined) throw new Error(`no ready pod of ${service.namespace}/${service.name}`);
  return { url: `http://127.0.0.1:${port}${pathAndQuery}` };
};

function deployFile(image: string, steps: string): string {
  return `${sampleAppDeployFile({ context: identifier, namespace: namespace.name, image, steps, replicas: 2 })}  - inline: |
      apiVersion: v1
      kind: Service
      metadata: {name: ${SERVICE}}
      spec:
        selector: {app: hub-sample-app}
        ports: [{name: http, port: 80, targetPort: 8080}]
`;
}

const identifier = `preview-${randomBytes(3).toString('hex')}`;
const FINAL = ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'];

describe('preview links through a real hub and agent', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let hub: TestHub;
  let agent: RemoteNetworkAgent;
  let api: ReturnType<typeof deploymentsClient>;

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: 'preview' });
    cleanups.push(() => namespace.delete());
    const dir = await mkdtemp(join(tmpdir(), 'ferry-preview-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sa = await serviceAccountKubeconfig(namespace, dir);
    cleanups.push(sa.cleanup);
    hub = await startTestHub({ previewUpstream: devclusterUpstream });
    cleanups.push(() => hub.close());
    const token = await hub.adminToken();
    api = deploymentsClient(hub.fetch, () => token);
    await hub.repositories.roles.put({ tenant: 'default', name: 'agent', grants: [{ type: 'api', resource: 'agentHub', permission: 'full' }] });
    const created = await hub.repositories.credentials.create({ tenant: 'default', name: 'preview-agent', roles: ['agent'] });
    agent = await startAgent({
      identifier,
      hub: { address: hub.hub.agentHubAddress as string, caPem: hub.hub.caCertPem as string },
      auth: { issuer: hub.hub.issuer, clientId: created.credential.clientId, clientSecret: created.clientSecret },
      kube: { kubeconfigPath: sa.path },
      allowedHosts: ['127.0.0.1'],
      healthPort: 0,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    });
    cleanups.push(() => agent.drain());
    await agent.connected(30_000);
  });

  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  it('serves the sample app at the preview URL until the TTL, then answers 410', async () => {
    const v1 = await api.start(deployFile('ferry/sample-app:v1', '        - setWeight: 100'));
    const v1Final = await waitFor('v1 to finish', async () => {
      const status = await api.status(v1.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(v1Final.status, JSON.stringify(v1Final)).toBe('SUCCEEDED');

    const canary = await api.start(
      deployFile(
        'ferry/sample-app:v2',
        `        - setWeight: 50
        - exposeServices: {services: [${SERVICE}], ttl: {duration: ${TTL_SECONDS}, unit: seconds}}
        - pause: {untilApproved: true}`,
      ),
    );
    const exposed = await waitFor('the preview link', async () => {
      const events = await api.events(canary.id);
      return events.find((e: HubEvent) => e.type.includes('preview'));
    });
    const { service, url, expiresAt } = exposed.data as { service: string; url: string; expiresAt: number };
    expect(service).toBe(SERVICE);
    expect(url.startsWith(`${hub.url}/preview/`)).toBe(true);
    const token = new URL(url).pathname.split('/')[2] as string;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const path = new URL(url).pathname;

    // Only the token's SHA-256 is stored, and any replica on the database finds the link by it.
    const database = await openHubDatabase({ sqlitePath: join(hub.dataDir, 'hub.db') });
    try {
      const rows = await database.db.withTables<{ ferry_hub_previews: PreviewsTable }>().selectFrom('ferry_hub_previews').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
      const stored = await new SqlPreviewRepository(database.db).findByTokenHash(hashPreviewToken(token));
      expect(stored).toMatchObject({ tenant: 'default', deploymentId: canary.id, target: 'dev', service: SERVICE, namespace: namespace.name, port: 80, agent: identifier, expiresAt });
    } finally {
      await database.close();
    }
    const answer = await hub.fetch(path);
    const body = (await answer.json()) as { hello: string; version: string; pod: string };
    expect(answer.status).toBe(200);
    expect(body.hello).toBe('from Ferry sample-app');
    expect(['v1', 'v2']).toContain(body.version);
    await waitFor('the pause', async () => (pauseIsWaiting(await api.events(canary.id)) ? true : undefined));

    const unknown = await hub.fetch(`/preview/${randomBytes(32).toString('base64url')}/`);
    expect(unknown.status).toBe(404);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 200));
    const gone = await hub.fetch(path);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('preview_expired');

    expect((await hub.fetch(`/api/v1/deployments/${canary.id}/cancel`, { method: 'POST', token: await hub.adminToken(), json: {} })).status).toBe(202);
  });
});
