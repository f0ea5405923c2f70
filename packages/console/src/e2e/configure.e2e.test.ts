import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, seriousViolations, signIn } from './browser.js';
import { startClusterAgent, type ClusterAgent } from './cluster-agent.js';
import { clientCredentialsToken, startConsoleHub, type ConsoleHub } from './console-hub.js';

/** Sign-in, the Configure pages and accessibility, against a real hub in Debian's chromium. */
let hub: ConsoleHub;
let browser: Browser;
let page: Page;
let ns: TestNamespace | undefined;
let clusterAgent: ClusterAgent | undefined;

beforeAll(async () => {
  hub = await startConsoleHub();
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, hub.url);
});

afterAll(async () => {
  await browser?.close();
  await clusterAgent?.stop();
  await hub?.close();
  await ns?.delete();
});

async function visit(path: string, heading: string): Promise<void> {
  await page.goto(`${hub.url}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('the console against a real hub', () => {
  it('signs in with authorization code + PKCE and shows who is signed in', async () => {
    await page.getByText('admin@ferry.test · tenant default').waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem('ferry.console.token'));
    expect(token).toMatch(/accessToken/);
    // Nothing about the session outlives the tab.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'ferry.console.theme'))).toEqual([]);
    await screenshot(page, 'deployments-empty');
  });

  it('creates a credential whose secret is shown once and works at the token endpoint, with its own token lifetime', async () => {
    await visit('/console/configure/credentials', 'Credentials');
    await page.getByLabel('Name').fill('ci-pipeline');
    await page.getByLabel(/Token lifetime in hours/).fill('720');
    await page.getByRole('button', { name: 'Create credential' }).click();
    const shown = page.getByTestId('credential-secret');
    await shown.waitFor();
    const codes = await shown.locator('code').allTextContents();
    expect(codes).toHaveLength(2);
    const [clientId, clientSecret] = codes as [string, string];
    const token = await clientCredentialsToken(hub.fetch, clientId, clientSecret);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(720 * 3600);
    await screenshot(page, 'credentials-created');
    await page.getByRole('row', { name: /ci-pipeline.*30 d/ }).waitFor();
    await page.reload();
    await page.getByRole('row', { name: /ci-pipeline/ }).waitFor();
    expect(await page.content()).not.toContain(clientSecret);
  });

  it('stores a secret without ever showing its value', async () => {
    await visit('/console/configure/secrets', 'Secrets');
    const value = 'hunter2-console-secret-value';
    await page.getByLabel('Name').fill('DATADOG_API_KEY');
    await page.getByLabel('Value').fill(value);
    await page.getByRole('button', { name: 'Save secret' }).click();
    await page.locator('tr[data-secret="DATADOG_API_KEY"]').waitFor();
    expect(await page.getByLabel('Value').inputValue()).toBe('');
    expect(await page.content()).not.toContain(value);
    const secrets = await hub.hub.repositories.secrets.reveal('default', 'DATADOG_API_KEY');
    expect(secrets).toBe(value);
    await screenshot(page, 'secrets');
  });

  it('tests an integration connection and shows the answer', async () => {
    await visit('/console/configure/integrations', 'Integrations');
    await page.getByLabel('Name').fill('nowhere');
    // Nothing listens on port 9 of loopback: the test must answer a failure naming why.
    await page.getByLabel(/Settings/).fill('url=http://127.0.0.1:9');
    await page.getByRole('button', { name: 'Save integration' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/^Failed:/).waitFor();
    await screenshot(page, 'integrations');
  });

  it('shows a connected agent with its heartbeat age, version and address', async () => {
    // A real agent on the dev cluster: a ServiceAccount token for the cluster, a credential with the agentHub grant for the hub.
    ns = await createTestNamespace({ prefix: 'console-agent' });
    clusterAgent = await startClusterAgent(hub, ns, 'edge-cluster');
    const token = await hub.machineToken();
    const recorded = (await (await hub.fetch('/api/v1/agents', { token })).json()) as { agents: Array<{ identifier: string; instanceId: string; version: string; address: string }> };
    const agent = recorded.agents.find((a) => a.identifier === 'edge-cluster');
    expect(agent?.instanceId).toBe(clusterAgent.agent.instanceId);
    expect(agent?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(agent?.address).toContain('127.0.0.1');

    await visit('/console/configure/agents', 'Agents');
    const row = page.locator('tr[data-agent="edge-cluster"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('edge-cluster');
    expect(text).toContain(clusterAgent.agent.instanceId);
    expect(text).toContain(agent?.version);
    expect(text).toContain(agent?.address);
    expect(text).toMatch(/\d+ s ago/);
    await screenshot(page, 'agents');
  });

  it('invites a user, edits roles and lists tenants and targets', async () => {
    await visit('/console/configure/users', 'Users and invitations');
    await page.getByLabel('Email').fill('new.person@ferry.test');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText(/invitation code/).waitFor();
    await screenshot(page, 'users');
    await visit('/console/configure/roles', 'Roles and grants');
    await page.getByLabel('Role name').fill('Deployer');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('row', { name: /Deployer/ }).waitFor();
    expect((await hub.hub.repositories.roles.list('default')).some((r) => r.name === 'Deployer')).toBe(true);
    await screenshot(page, 'roles');
    await visit('/console/configure/tenants', 'Tenants');
    await page.getByRole('cell', { name: 'default', exact: true }).waitFor();
    await screenshot(page, 'tenants');
    await visit('/console/configure/targets', 'Targets');
    await screenshot(page, 'targets');
  });

  it('has no serious or critical accessibility violation on any page, light or dark', async () => {
    const pages: Array<[string, string]> = [
      ['/console/deployments', 'Deployments'],
      ['/console/configure/integrations', 'Integrations'],
      ['/console/configure/credentials', 'Credentials'],
      ['/console/configure/secrets', 'Secrets'],
      ['/console/configure/targets', 'Targets'],
      ['/console/configure/roles', 'Roles and grants'],
      ['/console/configure/users', 'Users and invitations'],
      ['/console/configure/tenants', 'Tenants'],
      ['/console/configure/agents', 'Agents'],
    ];
    const found: Record<string, unknown> = {};
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      for (const [path, heading] of pages) {
        await visit(path, heading);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[`${theme} ${path}`] = violations;
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await visit('/console/configure/agents', 'Agents');
    await screenshot(page, 'agents-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(found).toEqual({});
  });

  it('is usable from the keyboard: skip link, then the navigation', async () => {
    await visit('/console/deployments', 'Deployments');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Deployments');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  });

  it('fits a phone screen and switches to the dark theme with the toggle', async () => {
    const phone = await newPage(browser, { width: 390 });
    await signIn(phone, hub.url);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.getByRole('button', { name: /Change theme/ }).click();
    expect(await phone.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(phone, 'deployments-phone-dark');
    await phone.context().close();
  });
});
