import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-support/start-test-hub.js';
import { fetchTrusting, readForm, TestBrowser } from './e2e-helpers.js';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = `pw-${randomBytes(8).toString('hex')}`;

/**
 * The relying-party library people use, against a whole hub (its server, TLS and routes),
 * not the identity module alone: discovery, client credentials, the device flow.
 */
describe('openid-client against a running hub', () => {
  let test: TestHub;
  let trusting: ReturnType<typeof fetchTrusting>;
  const discover = (clientId: string, auth: client.ClientAuth, secret?: string) =>
    client.discovery(new URL(test.hub.issuer), clientId, secret, auth, { [client.customFetch]: trusting.fetch as client.CustomFetch });

  beforeAll(async () => {
    test = await startTestHub({ bootstrapAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    trusting = fetchTrusting(test.hub.caCertPem as string);
  });
  afterAll(async () => {
    await trusting?.close();
    await test?.close();
  });

  it('discovers the issuer and gets a client-credentials token the REST API accepts', async () => {
    const { credential, clientSecret } = await test.repositories.credentials.create({ tenant: 'default', name: 'ci', roles: ['Organization Admin'] });
    const config = await discover(credential.clientId, client.ClientSecretPost(clientSecret), clientSecret);
    expect(config.serverMetadata()).toMatchObject({ issuer: test.hub.issuer, device_authorization_endpoint: `${test.hub.issuer}/device/auth` });
    const tokens = await client.clientCredentialsGrant(config);
    const me = await test.fetch('/api/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenant: 'default', kind: 'machine' });
  });

  it('logs a person in with the device flow (ferry login) and refreshes the token', async () => {
    const config = await discover('ferry-cli', client.None());
    const started = await client.initiateDeviceAuthorization(config, { scope: 'openid offline_access' });
    const polling = client.pollDeviceAuthorizationGrant(config, started);

    const browser = new TestBrowser(trusting.fetch);
    const inputPage = await browser.open(started.verification_uri);
    const codeForm = readForm(inputPage.html, /op\.deviceInputForm/, inputPage.url);
    const confirmPage = await browser.open(codeForm.action, { ...codeForm.fields, user_code: started.user_code });
    const confirmForm = readForm(confirmPage.html, /op\.deviceConfirmForm/, confirmPage.url);
    const loginPage = await browser.open(confirmForm.action, confirmForm.fields);
    const loginForm = readForm(loginPage.html, /\/login"/, loginPage.url);
    const done = await browser.open(loginForm.action, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(done.html).toMatch(/Your device is signed in/);

    const tokens = await polling;
    const me = await test.fetch('/api/v1/me', { token: tokens.access_token });
    expect(await me.json()).toMatchObject({ kind: 'user', name: ADMIN_EMAIL, tenant: 'default' });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect((await test.fetch('/api/v1/me', { token: refreshed.access_token })).status).toBe(200);
  }, 60_000);
});
