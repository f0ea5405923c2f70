import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterClientV1, ClusterConnectorV1 } from '@ferry/core';
import { kubeconfigConnector } from '@ferry/integrations/kubernetes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubRepositories } from '../contracts.js';
import { openHubDatabase, type HubDatabase } from '../db/index.js';
import { resolveSecretSettings } from './settings-secrets.js';
import { tenantClusterConnector } from './tenant-cluster-connector.js';
import { tenantMetricProviders } from './tenant-metric-providers.js';
import { integrationTester } from './test-integration.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: a
    cluster: {server: 'https://127.0.0.1:1'}
users:
  - name: u
    user: {token: not-used}
contexts:
  - name: staging
    context: {cluster: a, user: u}
  - name: prod
    context: {cluster: a, user: u}
current-context: staging
`;

let dir: string;
let database: HubDatabase;
let repositories: HubRepositories;
let prometheus: Server;
let prometheusUrl: string;
const prometheusSawAuth: Array<string | undefined> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-hub-engine-host-'));
  await writeFile(join(dir, 'kubeconfig.yaml'), KUBECONFIG);
  database = await openHubDatabase({ sqlitePath: join(dir, 'hub.db') });
  repositories = database.repositories({ masterKey: randomBytes(32) });
  // A Prometheus HTTP API stand-in on loopback: answers `1` to the query `1`.
  prometheus = createServer((req, res) => {
    prometheusSawAuth.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/api/v1/query' && url.searchParams.get('query') === '1') {
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [Date.now() / 1000, '1'] } }));
    } else if (url.pathname === '/api/v1/query_range') {
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    } else {
      res.statusCode = 400;
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'unexpected query' }));
    }
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  prometheusUrl = `http://127.0.0.1:${(prometheus.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => prometheus?.close(resolve));
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

function recordingConnector(kind: string, accounts: string[]): ClusterConnectorV1 & { asked: string[] } {
  const asked: string[] = [];
  return {
    specificationVersion: 'v1',
    kind,
    asked,
    handles: (account) => accounts.includes(account),
    async client(target) {
      asked.push(`${target.account}/${target.namespace}`);
      return { label: `${kind}:${target.account}` } as unknown as ClusterClientV1;
    },
  };
}

describe('tenantClusterConnector', () => {
  it('lets tenant default use every kubeconfig context by name, and nobody else without a target', async () => {
    const connector = tenantClusterConnector({ targets: repositories.targets, kubeconfig: kubeconfigConnector({ kubeconfigPath: join(dir, 'kubeconfig.yaml') }), agentConnectors: [] });
    await expect(connector.client({ account: 'staging', namespace: 'web' })).resolves.toBeDefined();
    await expect(connector.client({ account: 'staging', namespace: 'web', tenant: 'team-a' })).rejects.toMatchObject({
      code: 'unknown_account',
      message: 'no target named "staging" in tenant "team-a": add one (kind kubeconfig or agent) before deploying to it',
    });
    await expect(connector.client({ account: 'nowhere', namespace: 'web' })).rejects.toThrow('no target named "nowhere" in tenant "default"');
  });

  it('maps a tenant target of kind kubeconfig to its context and of kind agent to the agent connector', async () => {
    const kube = recordingConnector('kubernetes', ['prod']);
    const agents = recordingConnector('agent', ['agent-eu']);
    const connector = tenantClusterConnector({ targets: repositories.targets, kubeconfig: kube, agentConnectors: [agents] });
    await repositories.tenants.ensure('team-b');
    await repositories.targets.put({ tenant: 'team-b', name: 'production', kind: 'kubeconfig', ref: 'prod' });
    await repositories.targets.put({ tenant: 'team-b', name: 'edge', kind: 'agent', ref: 'agent-eu' });
    await repositories.targets.put({ tenant: 'team-b', name: 'gone', kind: 'kubeconfig', ref: 'deleted-context' });
    await connector.client({ account: 'production', namespace: 'shop', tenant: 'team-b' });
    await connector.client({ account: 'edge', namespace: 'shop', tenant: 'team-b' });
    expect(kube.asked).toEqual(['prod/shop']);
    expect(agents.asked).toEqual(['agent-eu/shop']);
    await expect(connector.client({ account: 'gone', namespace: 'shop', tenant: 'team-b' })).rejects.toThrow('names kube context "deleted-context"');
  });
});

describe('integration settings and metric providers', () => {
  it('resolves {{secrets.NAME}} in settings from the tenant vault, deeply', async () => {
    await repositories.tenants.ensure('team-c');
    await repositories.secrets.put('team-c', 'prom-token', 'tok-123');
    const resolved = await resolveSecretSettings({ url: 'http://p', auth: { bearerToken: '{{ secrets.prom-token }}' }, list: ['a-{{secrets.prom-token}}'], n: 3 }, 'team-c', repositories.secrets);
    expect(resolved).toEqual({ url: 'http://p', auth: { bearerToken: 'tok-123' }, list: ['a-tok-123'], n: 3 });
    await expect(resolveSecretSettings({ key: '{{secrets.missing}}' }, 'team-c', repositories.secrets)).rejects.toThrow();
  });

  it('tests a Prometheus integration with a real query, bearer token from the vault', async () => {
    const tester = integrationTester(tenantMetricProviders({ integrations: repositories.integrations, vault: repositories.secrets }));
    const integration = { type: 'prometheus', name: 'prom', tenant: 'team-c', settings: { url: prometheusUrl, auth: { bearerToken: '{{secrets.prom-token}}' } }, createdAt: 0 };
    const answer = await tester(integration, 'team-c');
    expect(answer).toEqual({ ok: true, message: 'the query "1" answered 1' });
    expect(prometheusSawAuth).toContain('Bearer tok-123');
    const unreachable = await tester({ ...integration, settings: { url: 'http://127.0.0.1:1' } }, 'team-c');
    expect(unreachable.ok).toBe(false);
    expect(unreachable.message).not.toContain('tok-123');
  });

  it('resolves a deployment tenant metric provider by name at query time', async () => {
    const providers = tenantMetricProviders({ integrations: repositories.integrations, vault: repositories.secrets });
    await repositories.integrations.put({ type: 'prometheus', name: 'prom', tenant: 'team-c', settings: { url: prometheusUrl } });
    const lazy = providers.lazy('team-c', 'prom');
    const end = Date.now();
    const result = await lazy.query({ query: '1', window: { start: end - 10_000, end, stepSeconds: 5 }, signal: new AbortController().signal });
    expect(result.value).toBe(1);
    await expect(providers.lazy('team-d', 'prom').query({ query: '1', window: { start: end - 10_000, end, stepSeconds: 5 }, signal: new AbortController().signal })).rejects.toThrow(
      'no metric provider named "prom" in tenant "team-d"',
    );
  });
});
