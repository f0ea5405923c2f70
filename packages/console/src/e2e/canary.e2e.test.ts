import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, seriousViolations, signIn } from './browser.js';
import { startConsoleHub, type ConsoleHub } from './console-hub.js';

/**
 * Real canaries on the dev cluster, watched and steered from the console: the weight moves
 * live (server-sent events, no reload), a manual judgment is approved with a click, and a
 * canary whose new version never becomes ready is rolled back with a click.
 */
let ns: TestNamespace;
let hub: ConsoleHub;
let browser: Browser;
let page: Page;
let token: string;

function deployFile(app: string, image: string, steps: string): string {
  const context = ns.kubeConfig.getCurrentContext();
  return `version: v1
kind: kubernetes
application: ${app}
deploymentConfig:
  timeout: {duration: 10, unit: minutes}
targets:
  staging:
    account: ${context}
    namespace: ${ns.name}
    strategy: rollout
strategies:
  rollout:
    canary:
      steps:
${steps}
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ${app}, labels: {app: ${app}}}
      spec:
        replicas: 4
        selector: {matchLabels: {app: ${app}}}
        template:
          metadata: {labels: {app: ${app}}}
          spec:
            containers:
              - name: app
                image: ${image}
                ports: [{name: http, containerPort: 8080, protocol: TCP}]
                readinessProbe:
                  httpGet: {path: /health/readiness, port: http}
                  periodSeconds: 1
`;
}

async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const response = await hub.fetch(path, { token, ...(init.method ? { method: init.method } : {}), ...(init.json !== undefined ? { json: init.json } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function statusOf(id: string): Promise<string> {
  return (await api<{ status: string }>(`/api/v1/deployments/${id}`)).status;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function events(id: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return (await api<{ events: Array<{ type: string; data: Record<string, unknown> }> }>(`/api/v1/deployments/${id}/events?limit=1000`)).events;
}

beforeAll(async () => {
  ns = await createTestNamespace({ prefix: 'console-canary' });
  hub = await startConsoleHub({ kubeconfig: ns.kubeconfigPath });
  token = await hub.machineToken();
  // The deploy files' account is the dev cluster's context, served by the hub's kubeconfig.
  const context = ns.kubeConfig.getCurrentContext();
  await api(`/api/v1/targets/${encodeURIComponent(context)}`, { method: 'PUT', json: { kind: 'kubeconfig', ref: context } });
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, hub.url);
});

/** The stable version a canary starts from. */
async function deployStable(app: string): Promise<void> {
  const first = await api<{ id: string }>('/api/v1/deployments', { method: 'POST', json: { deployFile: deployFile(app, 'ferry/sample-app:v1', '        - setWeight: 100') } });
  await waitFor(`${app} v1 to succeed`, async () => ((await statusOf(first.id)) === 'SUCCEEDED' ? true : undefined));
}

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await ns?.delete();
});

describe('deployments in the console', () => {
  it('shows a canary progressing live and approves its manual judgment', async () => {
    await deployStable('console-canary');
    // The short pause first: the page is open before the weight moves.
    const started = await api<{ id: string }>('/api/v1/deployments', {
      method: 'POST',
      json: { deployFile: deployFile('console-canary', 'ferry/sample-app:v2', '        - pause: {duration: 10, unit: seconds}\n        - setWeight: 25\n        - pause: {untilApproved: true}\n        - setWeight: 100') },
    });
    await page.goto(`${hub.url}/console/deployments`);
    await page.locator(`tr[data-deployment-id="${started.id}"]`).waitFor();
    await screenshot(page, 'deployments-list');
    await page.locator(`tr[data-deployment-id="${started.id}"] a`).click();
    await page.getByRole('heading', { level: 1, name: 'console-canary' }).waitFor();
    // A marker on the window: it survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { ferryMarker: number }).ferryMarker = 1));
    const weightSeenAtOpen = await page.getByText('Canary weight set to 25% in staging').count();

    await page.getByText('Canary weight set to 25% in staging').waitFor({ timeout: 120_000 });
    await page.getByRole('region', { name: 'Waiting for approval' }).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('weight').textContent()).toBe('25%');
    expect(await page.evaluate(() => (window as unknown as { ferryMarker?: number }).ferryMarker)).toBe(1);
    expect(weightSeenAtOpen).toBe(0);
    await page.getByRole('row', { name: /console-canary/ }).first().waitFor();
    await screenshot(page, 'deployment-awaiting-approval');
    expect(await seriousViolations(page)).toEqual([]);

    // What it runs: the deploy file and its manifests, from GET /api/v1/deployments/:id/config.
    const config = page.getByTestId('deployment-config');
    await config.waitFor();
    await config.locator('details[data-manifest-source="manifests[0].inline"] summary').getByText('Deployment/console-canary').waitFor();
    expect(await config.locator('details').first().textContent()).toContain('"application": "console-canary"');

    const approve = page.getByRole('button', { name: 'Approve & Continue' });
    expect(await approve.isEnabled()).toBe(true);
    // Skip is disabled and says why.
    await page.getByText('No timed pause is running').waitFor();
    await approve.click();
    await page.getByText('Canary weight set to 100% in staging').waitFor({ timeout: 120_000 });
    await page.getByTestId('deployment-status').getByText('SUCCEEDED').waitFor({ timeout: 120_000 });
    expect(await statusOf(started.id)).toBe('SUCCEEDED');
    const granted = (await events(started.id)).find((e) => e.type === 'approval.granted');
    expect(granted?.data.by).toBe('admin@ferry.test');
    expect(await page.evaluate(() => (window as unknown as { ferryMarker?: number }).ferryMarker)).toBe(1);
    await screenshot(page, 'deployment-succeeded');
  });

  it('rolls back a failing canary with a click', async () => {
    await deployStable('console-rollback');
    // The new version's image never pulls: its pods never become ready.
    const started = await api<{ id: string }>('/api/v1/deployments', {
      method: 'POST',
      json: { deployFile: deployFile('console-rollback', 'ferry/sample-app:missing', '        - setWeight: 50\n        - setWeight: 100') },
    });
    await page.goto(`${hub.url}/console/deployments/${started.id}`);
    await page.getByRole('heading', { level: 1, name: 'console-rollback' }).waitFor();
    await waitFor('the canary step to run', async () => ((await events(started.id)).some((e) => e.type === 'step.started') ? true : undefined));
    const rollBack = page.locator('section[data-target="staging"] button[data-action="rollback"]');
    await waitFor('Roll back to be enabled', async () => ((await rollBack.isEnabled()) ? true : undefined), 60_000);
    await screenshot(page, 'deployment-failing-canary');
    await rollBack.click();
    const final = await waitFor('the rollback to end the deployment', async () => {
      const status = await statusOf(started.id);
      return ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED', 'REJECTED'].includes(status) ? status : undefined;
    });
    const types = (await events(started.id)).map((e) => e.type);
    // The target is rolled back; a deployment with a rolled-back target ends FAILED.
    expect(final, types.join(', ')).toBe('FAILED');
    expect(types).toContain('target.rollbackRequested');
    expect(types).toContain('target.rolledBack');
    const payload = await api<{ environments: Array<{ name: string; status: string }> }>(`/api/v1/deployments/${started.id}`);
    expect(payload.environments.find((e) => e.name === 'staging')?.status).toBe('ROLLED_BACK');
    await page.getByTestId('deployment-status').getByText('FAILED').waitFor();
    await page.locator('section[data-target="staging"] h2').getByText('ROLLED BACK').waitFor();
    await page.getByText('Rolled back staging').waitFor();
    // The stable version keeps serving.
    const sets = (await ns.apps.listNamespacedReplicaSet({ namespace: ns.name })).items.filter((rs) => rs.metadata?.name?.startsWith('console-rollback'));
    const replicasOf = (image: string) => sets.filter((rs) => rs.spec?.template?.spec?.containers[0]?.image === image).reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
    expect(replicasOf('ferry/sample-app:v1')).toBe(4);
    expect(replicasOf('ferry/sample-app:missing')).toBe(0);
    await screenshot(page, 'deployment-rolled-back');
    expect(await seriousViolations(page)).toEqual([]);

    // The list's filters: only the failed deployment of this application on this target.
    await page.goto(`${hub.url}/console/deployments?application=console-rollback&status=FAILED&target=staging`);
    await page.locator(`tr[data-deployment-id="${started.id}"]`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Status').inputValue()).toBe('FAILED');
    await screenshot(page, 'deployments-filtered');
  });
});
