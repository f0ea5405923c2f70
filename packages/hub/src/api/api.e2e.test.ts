import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-support/index.js';
import { MANIFESTS, eventType, getJson, openSse, until, waitingDeployFile, type SseEvent } from './e2e-support.js';

/**
 * The REST API end to end over HTTPS, on SQLite and on PostgreSQL: every endpoint's happy
 * path and its errors. Deployments wait in a before-deployment approval or pause, so they
 * are in flight for as long as a test needs without touching a cluster; once let go, their
 * apply fails on the unknown account and they end, which ends their event streams too.
 */
interface Status {
  id: string;
  application: string;
  status: string;
  completedAtIso: string | null;
  redeployOf: string | null;
  link: string;
  environments: Array<{ name: string; status: string; approval: { requiresRoles: string[]; kind: string } | null; steps: Array<{ id: string; kind: string; status: string }> }>;
  steps: Array<{ id: string; environment: string }>;
}
interface ErrorBody {
  error_id: string;
  errors: Array<{ message: string; code: string; metadata: Record<string, unknown> }>;
}

const EXPECTED_ROUTES = [
  'get /api/v1/deployments',
  'post /api/v1/deployments',
  'get /api/v1/deployments/{id}',
  'get /api/v1/deployments/{id}/config',
  'get /api/v1/deployments/{id}/events',
  'get /api/v1/deployments/{id}/events/stream',
  'post /api/v1/deployments/{id}/approve',
  'post /api/v1/deployments/{id}/reject',
  'post /api/v1/deployments/{id}/skip',
  'post /api/v1/deployments/{id}/rollback',
  'post /api/v1/deployments/{id}/rollforward',
  'post /api/v1/deployments/{id}/cancel',
  'post /api/v1/deployments/{id}/redeploy',
  'post /pipelines/kubernetes',
  'get /pipelines/{id}',
  'post /api/v1/validate',
  'get /api/v1/targets',
  'get /api/v1/targets/{name}',
  'put /api/v1/targets/{name}',
  'delete /api/v1/targets/{name}',
  'get /api/v1/integrations',
  'get /api/v1/integrations/{type}/{name}',
  'put /api/v1/integrations/{type}/{name}',
  'delete /api/v1/integrations/{type}/{name}',
  'post /api/v1/integrations/{type}/{name}/test',
  'get /api/v1/credentials',
  'get /api/v1/credentials/{clientId}',
  'post /api/v1/credentials',
  'delete /api/v1/credentials/{clientId}',
  'get /api/v1/secrets',
  'put /api/v1/secrets/{name}',
  'delete /api/v1/secrets/{name}',
  'get /api/v1/roles',
  'put /api/v1/roles',
  'get /api/v1/config',
  'get /api/v1/tenants',
  'post /api/v1/tenants',
  'delete /api/v1/tenants/{name}',
  'get /api/v1/users',
  'post /api/v1/users',
  'patch /api/v1/users/{id}',
  'delete /api/v1/users/{id}',
  'get /api/v1/agents',
  'get /api/v1/me',
];

function apiSuite(database: 'sqlite' | 'postgres'): void {
  let hub: TestHub;
  let admin: string;
  /** Deploys and holds the Release Manager role. */
  let releaseManager: string;
  /** Deploys, without any role. */
  let deployer: string;

  beforeAll(async () => {
    hub = await startTestHub({ database });
    admin = await hub.adminToken();
    releaseManager = await hub.tokenFor({ tenant: 'default', roles: ['Release Manager'], grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
    deployer = await hub.tokenFor({ tenant: 'default', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
  });
  afterAll(async () => {
    await hub?.close();
  });

  const app = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
  const post = (path: string, token: string, json?: unknown) => hub.fetch(path, { method: 'POST', token, ...(json !== undefined ? { json } : {}) });
  const start = async (application: string, wait: Parameters<typeof waitingDeployFile>[1], token = admin): Promise<string> => {
    const response = await post('/api/v1/deployments', token, { deployFile: waitingDeployFile(application, wait), manifests: MANIFESTS });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  const status = async (id: string, token = admin): Promise<Status> => (await getJson<Status>(hub, `/api/v1/deployments/${id}`, token)).body;
  const awaitingApproval = (id: string) => until(() => status(id), (s) => s.environments[0]?.approval !== null, 20_000, 'a pending approval');
  const completed = (id: string) => until(() => status(id), (s) => s.completedAtIso !== null, 60_000, 'the deployment to end');
  const errorOf = async (response: { json(): Promise<unknown> }): Promise<ErrorBody> => (await response.json()) as ErrorBody;

  it('serves the OpenAPI document, without a token, listing every route with its bearer security', async () => {
    const response = await hub.fetch('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown; responses?: unknown }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect([...listed].sort()).toEqual([...EXPECTED_ROUTES].sort());
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/deployments']?.post?.responses).toHaveProperty('202');
  });

  it('answers who the caller is, with the grants its roles resolve to', async () => {
    const { status: code, body } = await getJson<{ tenant: string; kind: string; roles: string[]; grants: unknown[] }>(hub, '/api/v1/me', releaseManager);
    expect(code).toBe(200);
    expect(body).toMatchObject({ tenant: 'default', kind: 'machine' });
    expect(body.roles).toContain('Release Manager');
    // "Release Manager" is a role name without a role record: it grants nothing.
    expect(body.grants).toEqual([{ type: 'api', resource: 'deployment', permission: 'full' }]);
    // The union over several roles, and nothing for a token whose roles grant nothing.
    await hub.repositories.roles.put({ tenant: 'default', name: 'Secret Reader', grants: [{ type: 'api', resource: 'secret', permission: 'read' }] });
    const twoRoles = await hub.tokenFor({ tenant: 'default', roles: ['Secret Reader'], grants: [{ type: 'api', resource: 'target', permission: 'full' }] });
    const union = (await getJson<{ grants: Array<{ resource: string; permission: string }> }>(hub, '/api/v1/me', twoRoles)).body.grants;
    expect([...union].sort((a, b) => a.resource.localeCompare(b.resource))).toEqual([
      { type: 'api', resource: 'secret', permission: 'read' },
      { type: 'api', resource: 'target', permission: 'full' },
    ]);
    const none = await hub.tokenFor({ tenant: 'default', roles: ['Nobody'] });
    expect((await getJson<{ grants: unknown[] }>(hub, '/api/v1/me', none)).body.grants).toEqual([]);
  });

  it("answers a deployment's deploy file, context and manifests, with Secret values left out", async () => {
    const application = app('config');
    const secretValue = `s3cr3t-${randomBytes(6).toString('hex')}`;
    const deployFile = `${waitingDeployFile(application, { approvalRoles: ['Release Manager'] })}  - inline: |
      apiVersion: v1
      kind: Secret
      metadata: {name: db}
      stringData: {password: ${secretValue}}
context:
  region: '{{secrets.REGION}}'
`;
    const response = await post('/api/v1/deployments', deployer, { deployFile, manifests: MANIFESTS, context: { version: '2' } });
    expect(response.status, await response.clone().text()).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const config = await hub.fetch(`/api/v1/deployments/${id}/config`, { token: deployer });
    const text = await config.text();
    expect(config.status, text).toBe(200);
    expect(text).not.toContain(secretValue);
    const body = JSON.parse(text) as {
      deployFile: { application: string; targets: Record<string, { account: string }>; manifests: Array<{ path?: string; inline?: string }> };
      context: Record<string, string>;
      manifests: Array<{ source: string; objects: Array<{ kind: string; metadata: { name: string }; data?: unknown; stringData?: unknown }> }>;
    };
    expect(body.deployFile.application).toBe(application);
    expect(body.deployFile.targets.staging?.account).toBe('api-test-account');
    expect(body.context).toEqual({ region: '{{secrets.REGION}}', version: '2' });
    expect(body.manifests.map((m) => [m.source, m.objects.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ['manifests/settings.yaml', ['ConfigMap/settings']],
      ['manifests[1].inline', ['Secret/db']],
    ]);
    expect(body.manifests[0]?.objects[0]?.data).toEqual({ greeting: 'hello' });
    expect(body.manifests[1]?.objects[0]?.stringData).toEqual({ password: '(redacted)' });
    expect(body.deployFile.manifests[0]).toEqual({ path: 'manifests/' });
    expect(body.deployFile.manifests[1]?.inline).toContain('password: (redacted)');

    // Another tenant's caller and a caller without the deployment grant learn nothing.
    const stranger = await hub.tokenFor({ tenant: `other-${randomBytes(2).toString('hex')}`, grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
    expect((await hub.fetch(`/api/v1/deployments/${id}/config`, { token: stranger })).status).toBe(404);
    const noGrant = await hub.tokenFor({ tenant: 'default', grants: [{ type: 'api', resource: 'secret', permission: 'full' }] });
    expect((await hub.fetch(`/api/v1/deployments/${id}/config`, { token: noGrant })).status).toBe(403);
    await post(`/api/v1/deployments/${id}/cancel`, admin, {});
  });

  it('validates a deployment file: the plan when valid, located diagnostics when not', async () => {
    const valid = await post('/api/v1/validate', deployer, { deployFile: waitingDeployFile('shop', { pauseSeconds: 5 }), manifests: MANIFESTS });
    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({ valid: true, plan: { application: 'shop', targets: [{ name: 'staging', account: 'api-test-account', namespace: 'shop', dependsOn: [] }] } });

    const invalid = await post('/api/v1/validate', deployer, { deployFile: 'version: v1\nkind: kubernetes\napplication: shop\ntargets:\n  staging:\n    acount: x\n' });
    const body = (await invalid.json()) as { valid: boolean; diagnostics: Array<{ severity: string; path: string; line: number | null; column: number | null }> };
    expect(invalid.status).toBe(200);
    expect(body.valid).toBe(false);
    const located = body.diagnostics.find((d) => d.severity === 'error' && d.path.startsWith('targets.staging'));
    expect(located).toBeDefined();
    expect(located?.line).toBeGreaterThan(0);
    expect(located?.column).toBeGreaterThan(0);

    const missing = await post('/api/v1/validate', deployer, { manifests: {} });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).errors[0]?.message).toContain('body.deployFile');
  });

  it('starts a deployment and answers its status in both shapes, and lists it with filters', async () => {
    const application = app('list');
    const response = await post('/api/v1/deployments', deployer, { deployFile: waitingDeployFile(application, { approvalRoles: ['Release Manager'] }), manifests: MANIFESTS, context: { version: '2' } });
    expect(response.status).toBe(202);
    const started = (await response.json()) as { id: string; link: string };
    expect(started.link).toBe(`${hub.url}/api/v1/deployments/${started.id}`);

    const s = await awaitingApproval(started.id);
    expect(s).toMatchObject({ id: started.id, application, status: 'AWAITING_APPROVAL', completedAtIso: null });
    expect(s.environments).toHaveLength(1);
    expect(s.environments[0]).toMatchObject({ name: 'staging', account: 'api-test-account', namespace: application, status: 'AWAITING_APPROVAL', approval: { kind: 'pause', requiresRoles: ['Release Manager'] } });
    expect(s.environments[0]?.steps.map((step) => step.kind)).toEqual(['pause', 'apply']);
    expect(s.steps.map((step) => step.id)).toEqual(s.environments[0]?.steps.map((step) => step.id));

    const pipeline = await getJson<Status>(hub, `/pipelines/${started.id}`, deployer);
    expect(pipeline.status).toBe(200);
    expect(pipeline.body.id).toBe(started.id);
    expect(pipeline.body.environments[0]?.status).toBe('AWAITING_APPROVAL');

    const list = async (query: string) => (await getJson<{ deployments: Array<{ id: string }> }>(hub, `/api/v1/deployments?${query}`, deployer)).body.deployments.map((d) => d.id);
    expect(await list(`application=${application}`)).toEqual([started.id]);
    expect(await list(`application=${application}&status=AWAITING_APPROVAL,RUNNING`)).toEqual([started.id]);
    expect(await list(`application=${application}&status=SUCCEEDED`)).toEqual([]);
    expect(await list(`application=${application}&target=staging`)).toEqual([started.id]);
    expect(await list(`application=${application}&target=prod`)).toEqual([]);
    expect(await list('limit=1')).toHaveLength(1);

    const badStatus = await hub.fetch('/api/v1/deployments?status=DONE', { token: deployer });
    expect(badStatus.status).toBe(400);
    expect((await errorOf(badStatus)).errors[0]?.message).toContain('querystring.status');
    const badLimit = await hub.fetch('/api/v1/deployments?limit=0', { token: deployer });
    expect(badLimit.status).toBe(400);
    expect((await errorOf(badLimit)).errors[0]?.message).toContain('querystring.limit');
    await post(`/api/v1/deployments/${started.id}/cancel`, admin, {});
  });

  it('starts a deployment in the reference CLI shape', async () => {
    const application = app('pipeline');
    const response = await post('/pipelines/kubernetes', deployer, {
      application,
      targets: { staging: { account: 'api-test-account', namespace: application, constraints: { beforeDeployment: [{ pause: { untilApproved: true } }] } } },
      manifests: [{ inline: { value: MANIFESTS['manifests/settings.yaml'] } }],
    });
    expect(response.status).toBe(202);
    const { pipelineId } = (await response.json()) as { pipelineId: string };
    expect((await awaitingApproval(pipelineId)).application).toBe(application);
    await post(`/api/v1/deployments/${pipelineId}/cancel`, admin, {});
  });

  it('answers 409 to a second start while a deployment of the application is in flight', async () => {
    const application = app('conflict');
    const first = await start(application, { pauseSeconds: 600 });
    const second = await post('/api/v1/deployments', deployer, { deployFile: waitingDeployFile(application, { pauseSeconds: 600 }), manifests: MANIFESTS });
    expect(second.status).toBe(409);
    const body = await errorOf(second);
    expect(body.error_id).toEqual(expect.any(String));
    expect(body.errors[0]).toMatchObject({ code: 'deployment_in_progress', metadata: { deploymentId: first } });
    await post(`/api/v1/deployments/${first}/cancel`, admin, {});
  });

  it('answers 400 naming the path for bad bodies and bad deployment files', async () => {
    const notText = await post('/api/v1/deployments', deployer, { deployFile: 42 });
    expect(notText.status).toBe(400);
    const notTextBody = await errorOf(notText);
    expect(notTextBody.errors[0]).toMatchObject({ code: 'invalid_request' });
    expect(notTextBody.errors[0]?.message).toContain('body.deployFile');

    const missingManifest = await post('/api/v1/deployments', deployer, { deployFile: waitingDeployFile(app('bad'), { pauseSeconds: 5 }), manifests: {} });
    expect(missingManifest.status).toBe(400);
    const missingBody = await errorOf(missingManifest);
    expect(missingBody.errors[0]?.code).toBe('invalid_deploy_file');
    expect(missingBody.errors[0]?.message).toContain('manifests[0]');

    const diskPath = await post('/api/v1/deployments', deployer, { deployFile: waitingDeployFile(app('disk'), { pauseSeconds: 5 }).replace('path: manifests/', 'path: /etc/hostname') });
    expect(diskPath.status).toBe(400);
    expect((await errorOf(diskPath)).errors[0]?.metadata.diagnostics).toEqual([expect.objectContaining({ code: 'manifest_path_refused' })]);

    const badAction = await post('/api/v1/deployments/x/approve', deployer, { comment: 'no target' });
    expect(badAction.status).toBe(400);
    expect((await errorOf(badAction)).errors[0]?.message).toContain('body.target');
  });

  it('answers 404 for a deployment that does not exist, on every deployment route', async () => {
    const id = 'no-such-deployment';
    for (const [method, path, json] of [
      ['GET', `/api/v1/deployments/${id}`],
      ['GET', `/pipelines/${id}`],
      ['GET', `/api/v1/deployments/${id}/events`],
      ['GET', `/api/v1/deployments/${id}/config`],
      ['GET', `/api/v1/deployments/${id}/events/stream`],
      ['POST', `/api/v1/deployments/${id}/approve`, { target: 'staging' }],
      ['POST', `/api/v1/deployments/${id}/cancel`, {}],
      ['POST', `/api/v1/deployments/${id}/redeploy`, {}],
    ] as Array<[string, string, unknown?]>) {
      const response = await hub.fetch(path, { method, token: admin, ...(json !== undefined ? { json } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect((await errorOf(response)).errors[0]?.code).toBe('deployment_not_found');
    }
  });

  it('honours requiresRoles: 403 naming the roles, then the approval by a holder', async () => {
    const id = await start(app('roles'), { approvalRoles: ['Release Manager'] }, deployer);
    await awaitingApproval(id);
    const refused = await post(`/api/v1/deployments/${id}/approve`, deployer, { target: 'staging' });
    expect(refused.status).toBe(403);
    const refusal = await errorOf(refused);
    expect(refusal.errors[0]).toMatchObject({ code: 'missing_roles', metadata: { requiresRoles: ['Release Manager'] } });
    expect(refusal.errors[0]?.message).toContain('Release Manager');
    expect((await status(id)).environments[0]?.approval).not.toBeNull();

    const unknownTarget = await post(`/api/v1/deployments/${id}/approve`, releaseManager, { target: 'prod' });
    expect(unknownTarget.status).toBe(404);

    const approved = await post(`/api/v1/deployments/${id}/approve`, releaseManager, { target: 'staging', comment: 'ship it' });
    expect(approved.status).toBe(202);
    expect(await approved.json()).toEqual({ id, action: 'approve' });
    const events = await until(
      async () => (await getJson<{ events: Array<{ type: string; data: Record<string, unknown> }> }>(hub, `/api/v1/deployments/${id}/events`, deployer)).body.events,
      (list) => list.some((e) => e.type === 'approval.granted'),
    );
    expect(events.find((e) => e.type === 'approval.granted')?.data).toMatchObject({ comment: 'ship it' });
    await completed(id);
    const again = await post(`/api/v1/deployments/${id}/approve`, releaseManager, { target: 'staging' });
    expect(again.status).toBe(409);
  });

  it('pages the event log with afterSeq', async () => {
    const id = await start(app('events'), { approvalRoles: [] });
    await awaitingApproval(id);
    const page = async (afterSeq: number, limit: number) =>
      (await getJson<{ events: Array<{ seq: number; type: string; atIso: string }>; nextAfterSeq: number }>(hub, `/api/v1/deployments/${id}/events?afterSeq=${afterSeq}&limit=${limit}`, admin)).body;
    const all = await page(0, 1000);
    expect(all.events.length).toBeGreaterThanOrEqual(3);
    expect(all.events.map((e) => e.seq)).toEqual(all.events.map((_, i) => i + 1));
    expect(all.events[0]?.type).toBe('deployment.started');
    const first = await page(0, 2);
    expect(first.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(first.nextAfterSeq).toBe(2);
    const rest = await page(first.nextAfterSeq, 1000);
    expect(rest.events[0]?.seq).toBe(3);
    const badPage = await hub.fetch(`/api/v1/deployments/${id}/events?afterSeq=-1`, { token: admin });
    expect(badPage.status).toBe(400);
    await post(`/api/v1/deployments/${id}/cancel`, admin, {});
  });

  it('streams events as SSE: replay, live, resume with Last-Event-ID, and the end after deployment.completed', async () => {
    const id = await start(app('sse'), { approvalRoles: [] });
    await awaitingApproval(id);
    const path = `/api/v1/deployments/${id}/events/stream`;
    const first = await openSse(hub, path, admin);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/event-stream');
    await first.waitFor((e) => eventType(e) === 'approval.requested'); // replayed
    const replayed = first.events.filter((e) => e.data).length;

    const approved = await post(`/api/v1/deployments/${id}/approve`, admin, { target: 'staging' });
    expect(approved.status).toBe(202);
    const live = await first.waitFor((e) => eventType(e) === 'approval.granted');
    expect(first.events.filter((e) => e.data).length).toBeGreaterThan(replayed);
    const seqs = first.events.filter((e) => e.data).map((e) => Number(e.id));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // in order, no gaps, no repeats
    first.close();

    const resumed = await openSse(hub, path, admin, { 'last-event-id': String(live.id) });
    await resumed.ended; // the deployment ends (its apply fails on the unknown account): the stream ends with it
    const resumedData = resumed.events.filter((e): e is SseEvent & { id: string } => e.data !== undefined && e.id !== undefined);
    expect(Number(resumedData[0]?.id)).toBe(Number(live.id) + 1);
    expect(eventType(resumedData.at(-1) as SseEvent)).toBe('deployment.completed');
    expect(resumedData.some((e) => eventType(e) === 'approval.granted')).toBe(false);

    // After the end, a stream replays the whole log and ends at once; afterSeq skips ahead.
    const replay = await openSse(hub, `${path}?afterSeq=1`, admin);
    await replay.ended;
    const replayData = replay.events.filter((e) => e.data);
    expect(replayData[0]?.id).toBe('2');
    expect(eventType(replayData.at(-1) as SseEvent)).toBe('deployment.completed');

    const badHeader = await hub.fetch(path, { token: admin, headers: { 'last-event-id': 'abc' } });
    expect(badHeader.status).toBe(400);
  });

  it('skips a timed pause, rejects an approval, rolls back, cancels and redeploys', async () => {
    const paused = await start(app('skip'), { pauseSeconds: 600 });
    await until(() => status(paused), (s) => s.environments[0]?.steps[0]?.status === 'WAITING', 20_000, 'the pause');
    expect((await post(`/api/v1/deployments/${paused}/skip`, deployer, { target: 'staging' })).status).toBe(202);
    await until(() => status(paused), (s) => s.environments[0]?.steps[0]?.status === 'SUCCEEDED', 20_000, 'the skipped pause');
    const nothingToSkip = await post(`/api/v1/deployments/${paused}/skip`, deployer, { target: 'staging' });
    expect(nothingToSkip.status).toBe(409);

    const rejected = await start(app('reject'), { approvalRoles: ['Release Manager'] });
    await awaitingApproval(rejected);
    expect((await post(`/api/v1/deployments/${rejected}/reject`, deployer, { target: 'staging' })).status).toBe(403);
    expect((await post(`/api/v1/deployments/${rejected}/reject`, releaseManager, { target: 'staging', comment: 'not today' })).status).toBe(202);
    expect((await completed(rejected)).status).not.toBe('SUCCEEDED');

    const rolledBack = await start(app('rollback'), { pauseSeconds: 600 });
    await until(() => status(rolledBack), (s) => s.environments[0]?.steps[0]?.status === 'WAITING', 20_000, 'the pause');
    const noRollForward = await post(`/api/v1/deployments/${rolledBack}/rollforward`, deployer, { target: 'staging' });
    expect(noRollForward.status).toBe(409);
    expect((await post(`/api/v1/deployments/${rolledBack}/rollback`, deployer, { target: 'prod' })).status).toBe(404);
    expect((await post(`/api/v1/deployments/${rolledBack}/rollback`, deployer, { target: 'staging' })).status).toBe(202);
    expect((await completed(rolledBack)).status).not.toBe('SUCCEEDED');

    const cancelled = await start(app('cancel'), { pauseSeconds: 600 });
    expect((await post(`/api/v1/deployments/${cancelled}/cancel`, deployer, { comment: 'wrong build' })).status).toBe(202);
    expect((await completed(cancelled)).status).toBe('CANCELLED');

    const redeploy = await post(`/api/v1/deployments/${cancelled}/redeploy`, deployer, {});
    expect(redeploy.status).toBe(202);
    const again = (await redeploy.json()) as { id: string; link: string };
    expect(again.id).not.toBe(cancelled);
    expect((await status(again.id)).redeployOf).toBe(cancelled);
    await post(`/api/v1/deployments/${again.id}/cancel`, admin, {});
  });

  it("keeps tenants apart: another tenant's deployment answers 404", async () => {
    const id = await start(app('tenant'), { pauseSeconds: 600 });
    const other = await hub.tokenFor({ tenant: `other-${database}`, grants: [{ type: 'api', resource: 'tenant', permission: 'full' }] });
    expect((await hub.fetch(`/api/v1/deployments/${id}`, { token: other })).status).toBe(404);
    expect((await post(`/api/v1/deployments/${id}/cancel`, other, {})).status).toBe(404);
    const listed = await getJson<{ deployments: Array<{ id: string }> }>(hub, '/api/v1/deployments?limit=500', other);
    expect(listed.body.deployments.map((d) => d.id)).not.toContain(id);
    expect((await status(id)).completedAtIso).toBeNull();
    await post(`/api/v1/deployments/${id}/cancel`, admin, {});
  });

  it('manages targets', async () => {
    const put = await hub.fetch('/api/v1/targets/prod-west', { method: 'PUT', token: admin, json: { kind: 'kubeconfig', ref: 'kind-prod-west' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ name: 'prod-west', kind: 'kubeconfig', ref: 'kind-prod-west' });
    expect((await getJson<{ targets: Array<{ name: string }> }>(hub, '/api/v1/targets', admin)).body.targets.map((t) => t.name)).toContain('prod-west');
    expect((await getJson(hub, '/api/v1/targets/prod-west', admin)).body).toMatchObject({ ref: 'kind-prod-west' });
    const badKind = await hub.fetch('/api/v1/targets/prod-west', { method: 'PUT', token: admin, json: { kind: 'ssh', ref: 'x' } });
    expect(badKind.status).toBe(400);
    expect((await errorOf(badKind)).errors[0]?.message).toContain('body.kind');
    expect((await hub.fetch('/api/v1/targets/prod-west', { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch('/api/v1/targets/prod-west', { token: admin })).status).toBe(404);
    expect((await hub.fetch('/api/v1/targets/prod-west', { method: 'DELETE', token: admin })).status).toBe(404);
  });

  it('manages integrations and tests one against its API', async () => {
    const put = await hub.fetch('/api/v1/integrations/prometheus/main', { method: 'PUT', token: admin, json: { settings: { url: 'http://127.0.0.1:9' } } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ type: 'prometheus', name: 'main', settings: { url: 'http://127.0.0.1:9' } });
    expect((await getJson<{ integrations: unknown[] }>(hub, '/api/v1/integrations', admin)).body.integrations).toEqual([expect.objectContaining({ type: 'prometheus', name: 'main' })]);
    expect((await getJson(hub, '/api/v1/integrations/prometheus/main', admin)).status).toBe(200);
    const tried = await post('/api/v1/integrations/prometheus/main/test', admin);
    expect(tried.status).toBe(200);
    const result = (await tried.json()) as { ok: boolean; message: string };
    expect(result.ok).toBe(false); // nothing listens on port 9
    expect(result.message.length).toBeGreaterThan(0);
    expect((await post('/api/v1/integrations/prometheus/nope/test', admin)).status).toBe(404);
    expect((await hub.fetch('/api/v1/integrations/prometheus/main', { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch('/api/v1/integrations/prometheus/main', { token: admin })).status).toBe(404);
  });

  it('manages credentials: the secret once at creation, never again', async () => {
    const created = await post('/api/v1/credentials', admin, { name: 'ci', roles: [] });
    expect(created.status).toBe(201);
    const credential = (await created.json()) as { clientId: string; clientSecret: string; name: string };
    expect(credential.clientSecret.length).toBeGreaterThanOrEqual(16);
    const listed = await hub.fetch('/api/v1/credentials', { token: admin });
    const listedText = await listed.text();
    expect(listedText).toContain(credential.clientId);
    expect(listedText).not.toContain(credential.clientSecret);
    const one = await hub.fetch(`/api/v1/credentials/${credential.clientId}`, { token: admin });
    expect(one.status).toBe(200);
    expect(await one.text()).not.toContain(credential.clientSecret);
    expect((await post('/api/v1/credentials', admin, { roles: [] })).status).toBe(400);

    // A token lifetime of its own (for a caller that cannot refresh), bounded; answered back.
    const tooShort = await post('/api/v1/credentials', admin, { name: 'webhook', roles: [], tokenTtlSeconds: 30 });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toMatch(/tokenTtlSeconds/);
    const longLived = await post('/api/v1/credentials', admin, { name: 'webhook', roles: [], tokenTtlSeconds: 7 * 24 * 3600 });
    expect(longLived.status).toBe(201);
    const webhook = (await longLived.json()) as { clientId: string; tokenTtlSeconds: number | null };
    expect(webhook.tokenTtlSeconds).toBe(604_800);
    const webhookListed = (await (await hub.fetch('/api/v1/credentials', { token: admin })).json()) as { credentials: Array<{ clientId: string; tokenTtlSeconds: number | null }> };
    expect(webhookListed.credentials.find((c) => c.clientId === webhook.clientId)?.tokenTtlSeconds).toBe(604_800);
    expect(webhookListed.credentials.find((c) => c.clientId === credential.clientId)?.tokenTtlSeconds).toBeNull();
    expect((await hub.fetch(`/api/v1/credentials/${webhook.clientId}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch(`/api/v1/credentials/${credential.clientId}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch(`/api/v1/credentials/${credential.clientId}`, { token: admin })).status).toBe(404);
  });

  it('manages secrets: names and times only, values never answered', async () => {
    const value = `s3cr3t-${randomBytes(8).toString('hex')}`;
    expect((await hub.fetch('/api/v1/secrets/db_password', { method: 'PUT', token: admin, json: { value } })).status).toBe(204);
    const listed = await hub.fetch('/api/v1/secrets', { token: admin });
    const text = await listed.text();
    expect(JSON.parse(text)).toEqual({ secrets: [expect.objectContaining({ name: 'db_password', createdAtIso: expect.any(String), updatedAtIso: expect.any(String) })] });
    expect(text).not.toContain(value);
    expect((await hub.fetch('/api/v1/secrets/bad name', { method: 'PUT', token: admin, json: { value } })).status).toBe(400);
    expect((await hub.fetch('/api/v1/secrets/db_password', { method: 'PUT', token: admin, json: {} })).status).toBe(400);
    expect((await hub.fetch('/api/v1/secrets/db_password', { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch('/api/v1/secrets/db_password', { method: 'DELETE', token: admin })).status).toBe(404);
  });

  it('applies and reads roles in the config-apply format, JSON and YAML', async () => {
    const tenant = `roles-${database}`;
    const tenantAdmin = await hub.tokenFor({ tenant, grants: [{ type: 'api', resource: 'tenant', permission: 'full' }] });
    // `config apply` replaces the tenant's roles: keep the one this token holds.
    const before = (await getJson<{ roles: Array<{ name: string; tenant: string; grants: unknown[] }> }>(hub, '/api/v1/roles', tenantAdmin)).body.roles;
    expect(before).toHaveLength(1);
    const own = before[0] as { name: string; tenant: string; grants: unknown[] };
    const deployerRole = { name: 'Deployer', tenant, grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] };
    const put = await hub.fetch('/api/v1/roles', { method: 'PUT', token: tenantAdmin, json: { roles: [own, deployerRole] } });
    expect(put.status).toBe(200);
    const roles = (await getJson<{ roles: Array<{ name: string }> }>(hub, '/api/v1/roles', tenantAdmin)).body.roles;
    expect([...roles].sort((a, b) => a.name.localeCompare(b.name))).toEqual([deployerRole, own].sort((a, b) => a.name.localeCompare(b.name)));
    expect((await getJson(hub, '/api/v1/config', tenantAdmin)).body).toEqual({ roles });

    const yaml = `roles:\n  - name: ${own.name}\n    tenant: ${tenant}\n    grants:\n      - {type: api, resource: tenant, permission: full}\n  - name: Viewer\n    tenant: ${tenant}\n    grants:\n      - {type: api, resource: deployment, permission: read}\n`;
    const putYaml = await hub.fetch('/api/v1/roles', { method: 'PUT', token: tenantAdmin, headers: { 'content-type': 'application/yaml' }, body: yaml });
    expect(putYaml.status).toBe(200);
    const afterYaml = ((await putYaml.json()) as { roles: Array<{ name: string }> }).roles.map((r) => r.name).sort();
    expect(afterYaml).toEqual([own.name, 'Viewer'].sort());

    const otherTenant = await hub.fetch('/api/v1/roles', { method: 'PUT', token: tenantAdmin, json: { roles: [{ name: 'X', tenant: 'default', grants: [] }] } });
    expect(otherTenant.status).toBe(403);
    const escalation = await hub.fetch('/api/v1/roles', { method: 'PUT', token: tenantAdmin, json: { roles: [{ name: 'Boss', tenant, grants: [{ type: 'api', resource: 'organization', permission: 'full' }] }] } });
    expect(escalation.status).toBe(403);
    const badGrant = await hub.fetch('/api/v1/roles', { method: 'PUT', token: tenantAdmin, json: { roles: [{ name: 'X', tenant, grants: [{ type: 'api', resource: 'everything', permission: 'full' }] }] } });
    expect(badGrant.status).toBe(400);
    expect((await errorOf(badGrant)).errors[0]?.message).toContain('body.roles.0.grants.0.resource');
    // The organization admin sees every tenant's roles.
    const all = (await getJson<{ roles: Array<{ tenant: string }> }>(hub, '/api/v1/config', admin)).body.roles;
    expect(all.some((r) => r.tenant === tenant)).toBe(true);
  });

  it('manages tenants with the organization grant only', async () => {
    const name = `team-${database}-${randomBytes(2).toString('hex')}`;
    const created = await post('/api/v1/tenants', admin, { name });
    expect(created.status).toBe(201);
    expect((await getJson<{ tenants: Array<{ name: string }> }>(hub, '/api/v1/tenants', admin)).body.tenants.map((t) => t.name)).toContain(name);
    const tenantAdmin = await hub.tokenFor({ tenant: name, grants: [{ type: 'api', resource: 'tenant', permission: 'full' }] });
    expect((await hub.fetch('/api/v1/tenants', { token: tenantAdmin })).status).toBe(403);
    expect((await post('/api/v1/tenants', admin, { name: 'bad name!' })).status).toBe(400);
    const empty = `empty-${database}-${randomBytes(2).toString('hex')}`;
    await post('/api/v1/tenants', admin, { name: empty });
    expect((await hub.fetch(`/api/v1/tenants/${empty}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch(`/api/v1/tenants/${empty}`, { method: 'DELETE', token: admin })).status).toBe(404);
    // A tenant that still has credentials cannot go.
    expect((await hub.fetch(`/api/v1/tenants/${name}`, { method: 'DELETE', token: admin })).status).toBe(409);
  });

  it('invites users, changes their roles and removes them', async () => {
    const email = `ada-${database}@example.test`;
    const invited = await post('/api/v1/users', admin, { email, roles: [] });
    expect(invited.status).toBe(201);
    const { user, invitationCode } = (await invited.json()) as { user: { id: string; invited: boolean }; invitationCode: string };
    expect(user.invited).toBe(true);
    expect(invitationCode.length).toBeGreaterThan(8);
    const listed = await hub.fetch('/api/v1/users', { token: admin });
    const text = await listed.text();
    expect(text).toContain(email);
    expect(text).not.toContain(invitationCode);
    const patched = await hub.fetch(`/api/v1/users/${user.id}`, { method: 'PATCH', token: admin, json: { roles: ['Release Manager'] } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: user.id, roles: ['Release Manager'] });
    expect((await post('/api/v1/users', admin, { email: 'not-an-email' })).status).toBe(400);
    expect((await hub.fetch(`/api/v1/users/${user.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await hub.fetch(`/api/v1/users/${user.id}`, { method: 'PATCH', token: admin, json: { roles: [] } })).status).toBe(404);
  });

  it('lists agents', async () => {
    const now = Date.now();
    await hub.repositories.agents.upsert({ identifier: 'edge-1', tenant: 'default', instanceId: 'i-1', version: '1.0.0', hubReplica: 'r1', address: '127.0.0.1:5555', connectedAt: now, lastHeartbeatAt: now, clusterRole: true });
    const agents = (await getJson<{ agents: Array<{ identifier: string; clusterRole: boolean }> }>(hub, '/api/v1/agents', admin)).body.agents;
    expect(agents).toEqual([expect.objectContaining({ identifier: 'edge-1', instanceId: 'i-1', clusterRole: true, connectedAtIso: new Date(now).toISOString() })]);
    await hub.repositories.agents.remove('default', 'edge-1', 'i-1');
  });
}

describe.each(['sqlite', 'postgres'] as const)('REST API on %s', (database) => {
  apiSuite(database);
});
