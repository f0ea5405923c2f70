import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryUnauthenticatedError } from '@ferry/core';
import type { Identity } from '../contracts.js';
import { openHubDatabase, type HubDatabase } from '../db/open-hub-database.js';
import { createHubRepositories, type SqlHubRepositories } from '../db/repositories.js';
import { ensureBootstrapAdmin, ORGANIZATION_ADMIN_ROLE } from './bootstrap.js';
import { createIdentity } from './create-identity.js';
import { fetchTrusting, readForm, selfSignedCertificate, TestBrowser } from './e2e-helpers.js';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = `pw-${randomBytes(8).toString('hex')}`;

/** An HTTPS server on 127.0.0.1 that hands everything to an identity created once the port is known. */
async function startIdentityServer(tls: { key: string; cert: string }, make: (issuer: string) => Promise<Identity>): Promise<{ server: Server; identity: Identity; issuer: string }> {
  const ready: { identity?: Identity } = {};
  const server = createServer(tls, (req, res) => {
    if (ready.identity) ready.identity.handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}/oidc`;
  const identity = await make(issuer);
  ready.identity = identity;
  return { server, identity, issuer };
}

function closeServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function refusal(promise: Promise<unknown>): Promise<FerryUnauthenticatedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FerryUnauthenticatedError);
  return error as FerryUnauthenticatedError;
}

/** The OAuth `error` code of a token endpoint refusal (openid-client's ResponseBodyError). */
async function oauthErrorOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(client.ResponseBodyError);
  return (error as client.ResponseBodyError).error;
}

describe('the hub identity over HTTPS with openid-client', () => {
  let dir: string;
  let database: HubDatabase;
  let repositories: SqlHubRepositories;
  let tls: { key: string; cert: string };
  let trusting: ReturnType<typeof fetchTrusting>;
  let main: Awaited<ReturnType<typeof startIdentityServer>>;
  let shortLived: Awaited<ReturnType<typeof startIdentityServer>> | undefined;
  const masterKey = randomBytes(32);

  const discover = (clientId: string, secret?: string, auth?: client.ClientAuth) =>
    client.discovery(new URL(main.issuer), clientId, secret, auth ?? (secret ? client.ClientSecretPost(secret) : client.None()), {
      [client.customFetch]: trusting.fetch as client.CustomFetch,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-identity-'));
    database = await openHubDatabase({ sqlitePath: join(dir, 'hub.db') });
    repositories = createHubRepositories(database, { masterKey });
    await ensureBootstrapAdmin({ repositories, tenant: 'default', email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await repositories.roles.put({ tenant: 'default', name: 'Deployer', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
    tls = await selfSignedCertificate();
    trusting = fetchTrusting(tls.cert);
    main = await startIdentityServer(tls, (issuer) => createIdentity({ issuer, database, repositories, masterKey }));
  });

  afterAll(async () => {
    await main?.identity.close();
    await shortLived?.identity.close();
    await closeServer(main?.server);
    await closeServer(shortLived?.server);
    await trusting?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstrap is idempotent', async () => {
    const again = await ensureBootstrapAdmin({ repositories, tenant: 'default', email: ADMIN_EMAIL, password: 'another password' });
    expect(again.created).toBe(false);
    expect((await repositories.roles.list('default')).find((r) => r.name === ORGANIZATION_ADMIN_ROLE)?.grants).toEqual([
      { type: 'api', resource: 'organization', permission: 'full' },
    ]);
    expect(await repositories.users.verifyPassword(ADMIN_EMAIL, ADMIN_PASSWORD)).not.toBeNull();
  });

  it('serves discovery and a JWKS without private parts', async () => {
    const config = await discover('ferry-cli');
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(main.issuer);
    expect(metadata.token_endpoint).toBe(`${main.issuer}/token`);
    expect(metadata.device_authorization_endpoint).toBe(`${main.issuer}/device/auth`);
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']));
    const jwks = (await (await trusting.fetch(metadata.jwks_uri as string)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('issues client-credentials JWTs for a credential (secret in the body or Basic) that verify to its tenant, roles and grants', async () => {
    const { credential, clientSecret } = await repositories.credentials.create({ tenant: 'default', name: 'ci-bot', roles: ['Deployer'] });
    for (const auth of [client.ClientSecretPost(clientSecret), client.ClientSecretBasic(clientSecret)]) {
      const config = await discover(credential.clientId, clientSecret, auth);
      const tokens = await client.clientCredentialsGrant(config);
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      const [, payload] = tokens.access_token.split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({ iss: main.issuer, aud: 'ferry-api', tenant: 'default', roles: ['Deployer'], client_id: credential.clientId });

      const principal = await main.identity.verifier.verify(tokens.access_token);
      expect(principal).toMatchObject({
        subject: `client:${credential.clientId}`,
        kind: 'machine',
        name: 'ci-bot',
        tenant: 'default',
        roles: ['Deployer'],
        grants: [{ type: 'api', resource: 'deployment', permission: 'full' }],
      });
      expect(principal.expiresAt).toBe((claims.exp as number) * 1000);
    }

    const wrong = await discover(credential.clientId, 'not-the-secret');
    expect(await oauthErrorOf(client.clientCredentialsGrant(wrong))).toBe('invalid_client');
  });

  it("gives a credential's tokens its own lifetime, and the others the hub's", async () => {
    const lifetimeOf = async (clientId: string, clientSecret: string) => {
      const tokens = await client.clientCredentialsGrant(await discover(clientId, clientSecret));
      const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] as string, 'base64url').toString()) as { iat: number; exp: number };
      expect((await main.identity.verifier.verify(tokens.access_token)).expiresAt).toBe(claims.exp * 1000);
      return { expiresIn: tokens.expires_in, jwt: claims.exp - claims.iat };
    };
    const webhook = await repositories.credentials.create({ tenant: 'default', name: 'spinnaker-webhook', roles: [], tokenTtlSeconds: 30 * 24 * 3600 });
    const plain = await repositories.credentials.create({ tenant: 'default', name: 'plain-bot', roles: [] });
    expect(await lifetimeOf(webhook.credential.clientId, webhook.clientSecret)).toEqual({ expiresIn: 2_592_000, jwt: 2_592_000 });
    expect(await lifetimeOf(plain.credential.clientId, plain.clientSecret)).toEqual({ expiresIn: 3600, jwt: 3600 });
    await repositories.credentials.delete('default', webhook.credential.clientId);
    await repositories.credentials.delete('default', plain.credential.clientId);
  });

  it("refuses a deleted credential's tokens, and the credential itself", async () => {
    const { credential, clientSecret } = await repositories.credentials.create({ tenant: 'default', name: 'short-lived-bot', roles: [] });
    const config = await discover(credential.clientId, clientSecret);
    const { access_token } = await client.clientCredentialsGrant(config);
    expect((await main.identity.verifier.verify(access_token)).kind).toBe('machine');

    await repositories.credentials.delete('default', credential.clientId);
    const error = await refusal(main.identity.verifier.verify(access_token));
    expect(error.code).toBe('credential_revoked');
    expect(await oauthErrorOf(client.clientCredentialsGrant(config))).toBe('invalid_client');
  });

  it('refuses missing, malformed, tampered and foreign tokens', async () => {
    const { credential, clientSecret } = await repositories.credentials.create({ tenant: 'default', name: 'tamper-bot', roles: [] });
    const { access_token } = await client.clientCredentialsGrant(await discover(credential.clientId, clientSecret));
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, tenant: 'other', roles: [ORGANIZATION_ADMIN_ROLE] })).toString('base64url')}.${signature}`;
    expect((await refusal(main.identity.verifier.verify(forged))).code).toBe('invalid_token');
    expect((await refusal(main.identity.verifier.verify(''))).code).toBe('missing_token');
    expect((await refusal(main.identity.verifier.verify('not-a-jwt'))).code).toBe('invalid_token');
    const foreign = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: 'https://elsewhere.invalid' })).toString('base64url')}.${signature}`;
    expect((await refusal(main.identity.verifier.verify(foreign))).message).toMatch(/unknown issuer/);
    await repositories.credentials.delete('default', credential.clientId);
  });

  it('refuses an expired token (issued by a second replica sharing the database and its keys)', async () => {
    // Same issuer, same database: a second hub replica with 1-second access tokens.
    shortLived = await startIdentityServer(tls, () => createIdentity({ issuer: main.issuer, database, repositories, masterKey, accessTokenTtlSeconds: 1 }));
    const { credential, clientSecret } = await repositories.credentials.create({ tenant: 'default', name: 'expiring-bot', roles: [] });
    const port = (shortLived.server.address() as AddressInfo).port;
    const response = await trusting.fetch(`https://127.0.0.1:${port}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credential.clientId, client_secret: clientSecret }).toString(),
    });
    expect(response.status).toBe(200);
    const { access_token, expires_in } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expires_in).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    // JWTExpired is only reported after the signature verified: the replicas share keys.
    const error = await refusal(main.identity.verifier.verify(access_token));
    expect(error.code).toBe('token_expired');
    await repositories.credentials.delete('default', credential.clientId);
  });

  it('signs the console in with authorization code + PKCE and keeps its state in the database', async () => {
    const config = await discover('ferry-console');
    const redirectUri = `${new URL(main.issuer).origin}/console/callback`;
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'consent',
    });
    const browser = new TestBrowser(trusting.fetch);
    const loginPage = await browser.open(authorizationUrl.href);
    expect(loginPage.html).toContain('the Ferry console');
    const loginForm = readForm(loginPage.html, /\/login"/, loginPage.url);
    const landed = await browser.open(loginForm.action, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    // The browser ends on the console's callback (served by someone else: 404 here) with a code.
    expect(landed.url.startsWith(`${redirectUri}?`)).toBe(true);

    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: codeVerifier, expectedState: state });
    expect(tokens.claims()?.email).toBe(ADMIN_EMAIL);
    expect(tokens.refresh_token).toBeTruthy();
    expect((await main.identity.verifier.verify(tokens.access_token)).name).toBe(ADMIN_EMAIL);

    // Without PKCE the console client is refused.
    const withoutPkce = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', state });
    const refused = await new TestBrowser(trusting.fetch).open(withoutPkce.href);
    expect(refused.url).toMatch(/error=invalid_request/);

    const stored = await database.db.selectFrom('ferry_hub_oidc').select('model').distinct().execute();
    expect(stored.map((row) => row.model)).toEqual(expect.arrayContaining(['Session', 'Grant', 'RefreshToken', 'AuthorizationCode']));
  });

  it('runs the device flow end to end (ferry login): user code page, login form, polling, refresh', async () => {
    const config = await discover('ferry-cli');
    const started = await client.initiateDeviceAuthorization(config, { scope: 'openid offline_access' });
    expect(started.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const polling = client.pollDeviceAuthorizationGrant(config, started);

    const browser = new TestBrowser(trusting.fetch);
    const inputPage = await browser.open(started.verification_uri);
    expect(inputPage.status).toBe(200);
    expect(inputPage.html).toContain('<label for="user_code">');
    const codeForm = readForm(inputPage.html, /op\.deviceInputForm/, inputPage.url);

    // A wrong code is refused with a named error.
    const wrongCode = await browser.open(codeForm.action, { ...codeForm.fields, user_code: 'BCDF-GHJK' });
    expect(wrongCode.html).toMatch(/not valid/);

    const retryForm = readForm(wrongCode.html, /op\.deviceInputForm/, wrongCode.url);
    const confirmPage = await browser.open(retryForm.action, { ...retryForm.fields, user_code: started.user_code });
    expect(confirmPage.html).toContain(started.user_code);
    const confirmForm = readForm(confirmPage.html, /op\.deviceConfirmForm/, confirmPage.url);

    const loginPage = await browser.open(confirmForm.action, confirmForm.fields);
    expect(loginPage.url).toMatch(new RegExp(`^${main.issuer}/interaction/`));
    expect(loginPage.html).toContain('<label for="email">Email</label>');
    expect(loginPage.html).toContain('<label for="password">Password</label>');
    const loginForm = readForm(loginPage.html, /\/login"/, loginPage.url);

    const badLogin = await browser.open(loginForm.action, { email: ADMIN_EMAIL, password: 'wrong password' });
    expect(badLogin.html).toContain('role="alert"');
    expect(badLogin.html).toMatch(/email or the password is wrong/);
    expect(badLogin.html).not.toContain('wrong password');

    const done = await browser.open(loginForm.action, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.html).toMatch(/Your device is signed in/);

    const tokens = await polling;
    expect(tokens.refresh_token).toBeTruthy();
    const admin = await repositories.users.findByEmail(ADMIN_EMAIL);
    const principal = await main.identity.verifier.verify(tokens.access_token);
    expect(principal).toMatchObject({
      subject: `user:${admin?.id}`,
      kind: 'user',
      name: ADMIN_EMAIL,
      tenant: 'default',
      roles: [ORGANIZATION_ADMIN_ROLE],
      grants: [{ type: 'api', resource: 'organization', permission: 'full' }],
    });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await main.identity.verifier.verify(refreshed.access_token)).subject).toBe(principal.subject);
  }, 60_000);
});
