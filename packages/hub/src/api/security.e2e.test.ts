import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SignJWT, decodeJwt, generateKeyPair, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubDatabase } from '../db/index.js';
import { loadOrCreateSigningKeys } from '../identity/persisted-keys.js';
import { loadMasterKey } from '../secrets/index.js';
import { startTestHub, type TestFetchInit, type TestHub } from '../test-support/index.js';
import { MANIFESTS, waitingDeployFile } from './e2e-support.js';

/**
 * The security suite: for EVERY route the OpenAPI document lists, callers without a valid
 * token, of another tenant, or without the grant are refused and change nothing; and a
 * secret's value is found nowhere: not in the SQLite file, the logs, or any response.
 */
interface Operation {
  method: string;
  template: string;
}

const MARKER = `marker-${randomBytes(12).toString('hex')}`;
const VICTIM_TARGET = 'sec-target';
const VICTIM_SECRET = 'sec_secret';

let hub: TestHub;
let admin: string;
const logs: string[] = [];
const bodies: string[] = [];
let operations: Operation[] = [];
const fixture = { deploymentId: '', clientId: '', userId: '', userEmail: '', spareTenant: '' };

/** fetch that keeps every response body for the final secret check. */
async function call(path: string, init: TestFetchInit = {}): Promise<{ status: number; text: string }> {
  const response = await hub.fetch(path, init);
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, text };
}

function concretePath(template: string): string {
  const deploymentRoute = template.startsWith('/api/v1/deployments/') || template.startsWith('/pipelines/');
  return template
    .replace('{id}', deploymentRoute ? fixture.deploymentId : fixture.userId)
    .replace('{clientId}', fixture.clientId)
    .replace('{type}', 'prometheus')
    .replace('{name}', template.startsWith('/api/v1/secrets') ? VICTIM_SECRET : template.startsWith('/api/v1/tenants') ? fixture.spareTenant : template.includes('integrations') ? 'sec' : VICTIM_TARGET);
}

/** A body the route accepts, so a refusal can only come from the access checks. */
function validBody(op: Operation): unknown {
  const { method, template } = op;
  if (method === 'get' || method === 'delete') return undefined;
  if (template === '/api/v1/deployments') return { deployFile: waitingDeployFile(`sec-${randomBytes(2).toString('hex')}`, { pauseSeconds: 600 }), manifests: MANIFESTS };
  if (template === '/api/v1/validate') return { deployFile: waitingDeployFile('sec', { pauseSeconds: 600 }), manifests: MANIFESTS };
  if (template === '/pipelines/kubernetes') return { application: 'sec-pipeline', targets: { s: { account: 'a', namespace: 'n' } }, manifests: [{ inline: MANIFESTS['manifests/settings.yaml'] }] };
  if (/\/(approve|reject|skip|rollforward)$/.test(template)) return { target: 'staging' };
  if (/\/(rollback|cancel|redeploy)$/.test(template)) return {};
  if (template.startsWith('/api/v1/targets/')) return { kind: 'kubeconfig', ref: 'hijacked' };
  if (template === '/api/v1/integrations/{type}/{name}') return { settings: { url: 'http://127.0.0.1:9/hijacked' } };
  if (template.endsWith('/test')) return undefined;
  if (template === '/api/v1/credentials') return { name: 'intruder', roles: [] };
  if (template.startsWith('/api/v1/secrets/')) return { value: 'overwritten' };
  if (template === '/api/v1/roles') return { roles: [{ name: 'Intruder', tenant: 'default', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] }] };
  if (template === '/api/v1/tenants') return { name: 'intruder-tenant' };
  if (template === '/api/v1/users') return { email: 'intruder@example.test', roles: [] };
  if (template === '/api/v1/users/{id}') return { roles: ['Organization Admin'] };
  throw new Error(`no body for ${method} ${template}`);
}

async function send(op: Operation, token: string | undefined): Promise<{ status: number; text: string }> {
  const json = validBody(op);
  return call(concretePath(op.template), { method: op.method.toUpperCase(), ...(token ? { token } : {}), ...(json !== undefined ? { json } : {}) });
}

/** Everything tenant `default` holds, as its organization admin reads it. */
async function snapshot(): Promise<string> {
  const paths = [
    `/api/v1/deployments/${fixture.deploymentId}`,
    `/api/v1/deployments/${fixture.deploymentId}/events?limit=1000`,
    '/api/v1/deployments?limit=500',
    '/api/v1/targets',
    '/api/v1/integrations',
    '/api/v1/credentials',
    '/api/v1/secrets',
    '/api/v1/users',
    '/api/v1/config',
    '/api/v1/tenants',
  ];
  const parts: string[] = [];
  for (const path of paths) parts.push(`${path} ${(await call(path, { token: admin })).text}`);
  parts.push(`secret ${await hub.repositories.secrets.reveal('default', VICTIM_SECRET)}`);
  return parts.join('\n');
}

/** A token exactly like a real one of this hub (same key, claims) but expired a minute ago. */
async function expiredToken(real: string): Promise<string> {
  const database = await openHubDatabase({ sqlitePath: join(hub.dataDir, 'hub.db') });
  try {
    const keys = await loadOrCreateSigningKeys(database.db, loadMasterKey({ file: join(hub.dataDir, 'master.key') }));
    const jwk = keys.privateJwks.keys[0] as Parameters<typeof importJWK>[0] & { kid: string };
    const key = await importJWK(jwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...decodeJwt(real), iat: now - 3600, nbf: now - 3600, exp: now - 60 }).setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' }).sign(key);
  } finally {
    await database.close();
  }
}

/** The same claims, valid dates, signed by a key the hub never saw. */
async function forgedToken(real: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...decodeJwt(real), iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'forged' }).sign(privateKey);
}

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  hub = await startTestHub({ database: 'sqlite', logLevel: 'trace', logger: logStream });
  admin = await hub.adminToken();

  const doc = JSON.parse((await call('/api/openapi.json')).text) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([template, ops]) => Object.keys(ops).map((method) => ({ method, template })));

  // What tenant `default` holds: every kind of object a route could reach.
  const started = await call('/api/v1/deployments', { method: 'POST', token: admin, json: { deployFile: waitingDeployFile('sec-victim', { approvalRoles: [] }), manifests: MANIFESTS } });
  fixture.deploymentId = (JSON.parse(started.text) as { id: string }).id;
  await call(`/api/v1/targets/${VICTIM_TARGET}`, { method: 'PUT', token: admin, json: { kind: 'kubeconfig', ref: 'victim-context' } });
  await call('/api/v1/integrations/prometheus/sec', { method: 'PUT', token: admin, json: { settings: { url: 'http://127.0.0.1:9' } } });
  fixture.clientId = (JSON.parse((await call('/api/v1/credentials', { method: 'POST', token: admin, json: { name: 'victim-ci', roles: [] } })).text) as { clientId: string }).clientId;
  expect((await call(`/api/v1/secrets/${VICTIM_SECRET}`, { method: 'PUT', token: admin, json: { value: MARKER } })).status).toBe(204);
  fixture.userEmail = `victim-${randomBytes(2).toString('hex')}@example.test`;
  fixture.userId = (JSON.parse((await call('/api/v1/users', { method: 'POST', token: admin, json: { email: fixture.userEmail, roles: [] } })).text) as { user: { id: string } }).user.id;
  fixture.spareTenant = `spare-${randomBytes(2).toString('hex')}`;
  await call('/api/v1/tenants', { method: 'POST', token: admin, json: { name: fixture.spareTenant } });
});

afterAll(async () => {
  await hub?.close();
});

describe('the access gate on every route', () => {
  it('lists the routes to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
  });

  it('answers 401 without a token, with a malformed one, a forged one, an expired one and a revoked one, and changes nothing', async () => {
    const revokedCredential = await hub.tokenFor({ tenant: 'default', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });
    const revokedClientId = (decodeJwt(revokedCredential) as Record<string, unknown>).client_id as string | undefined;
    const credentials = await hub.repositories.credentials.list('default');
    const revokedRecord = credentials.find((c) => c.clientId === revokedClientId) ?? credentials.at(-1);
    await hub.repositories.credentials.delete('default', revokedRecord?.clientId ?? '');
    const tokens: Array<[string, string | undefined]> = [
      ['none', undefined],
      ['malformed', 'not-a-jwt'],
      ['forged', await forgedToken(admin)],
      ['expired', await expiredToken(admin)],
      ['revoked', revokedCredential],
    ];
    const before = await snapshot();
    for (const op of operations) {
      for (const [kind, token] of tokens) {
        const { status, text } = await send(op, token);
        expect(status, `${kind} token: ${op.method} ${op.template}`).toBe(401);
        expect(JSON.parse(text), `${kind} token: ${op.method} ${op.template}`).toMatchObject({ error_id: expect.any(String), errors: [expect.objectContaining({ code: expect.any(String) })] });
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("refuses another tenant's token with 403 or 404 for anything of tenant default, and changes nothing", async () => {
    const other = await hub.tokenFor({ tenant: `intruder-${randomBytes(2).toString('hex')}`, grants: [{ type: 'api', resource: 'tenant', permission: 'full' }] });
    const before = await snapshot();
    const victimMarks = [fixture.deploymentId, fixture.clientId, fixture.userEmail, VICTIM_TARGET, 'victim-context', VICTIM_SECRET];
    const createsOwn = (op: Operation) => op.method === 'put' && /^\/api\/v1\/(targets|integrations|secrets)\//.test(op.template);
    // Creations in the intruder's own tenant go last, so the other routes cannot find what they made.
    const ordered = [...operations.filter((op) => !createsOwn(op)), ...operations.filter(createsOwn)];
    for (const op of ordered) {
      const { status, text } = await send(op, other);
      const where = `${op.method} ${op.template}`;
      const namesAnObject = /\{(id|clientId|type|name)\}/.test(op.template);
      if (op.template.startsWith('/api/v1/tenants')) expect(status, where).toBe(403);
      else if (op.template === '/api/v1/roles' && op.method === 'put') expect(status, where).toBe(403);
      else if (namesAnObject && !createsOwn(op)) expect(status, where).toBe(404);
      // An error may quote what the caller sent (the id in the path); nothing else of tenant default.
      const sent = concretePath(op.template);
      for (const mark of victimMarks.filter((m) => !sent.includes(m))) expect(text.includes(mark), `${where} answered ${mark}`).toBe(false);
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a token without the grant with 403, and changes nothing', async () => {
    const nothing = await hub.tokenFor({ tenant: 'default', roles: [] });
    const readOnly = await hub.tokenFor({ tenant: 'default', grants: [{ type: 'api', resource: 'tenant', permission: 'read' }] });
    const before = await snapshot();
    for (const op of operations) {
      const where = `${op.method} ${op.template}`;
      const noGrant = await send(op, nothing);
      if (op.template === '/api/v1/me') expect(noGrant.status, where).toBe(200);
      else {
        expect(noGrant.status, `no grant: ${where}`).toBe(403);
        expect(JSON.parse(noGrant.text).errors[0].code, where).toBe('missing_grant');
      }
      const isRead = op.method === 'get' || op.template === '/api/v1/validate';
      if (op.template.startsWith('/api/v1/tenants') || !isRead) {
        const readOnlyWrite = await send(op, readOnly);
        expect(readOnlyWrite.status, `read-only grant: ${where}`).toBe(403);
      }
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('secret values', () => {
  it('appear in no response, no log line and not in the SQLite files', async () => {
    // Positive control: the vault really holds the marker, so its absence below means something.
    expect(await hub.repositories.secrets.reveal('default', VICTIM_SECRET)).toBe(MARKER);
    expect(logs.length).toBeGreaterThan(10);
    expect(bodies.length).toBeGreaterThan(100);
    expect(bodies.filter((b) => b.includes(MARKER))).toEqual([]);
    expect(logs.filter((l) => l.includes(MARKER))).toEqual([]);
    const files = (await readdir(hub.dataDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const databaseFiles = files.filter((f) => f.name.startsWith('hub.db'));
    expect(databaseFiles.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = await readFile(join(file.parentPath, file.name));
      expect(bytes.includes(Buffer.from(MARKER, 'utf8')), file.name).toBe(false);
    }
  });
});
