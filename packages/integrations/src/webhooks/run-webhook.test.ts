import { FerryUnavailableError, type HttpRequestV1, type HttpTransportV1 } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLIENT_TOKEN,
  SECRET,
  WEBHOOK_STEP,
  ciWebhook,
  deployFile,
  deployFirstVersion,
  driveUntil,
  dumpStore,
  ended,
  startEnv,
  webhookWaiting,
  type Env,
} from './webhooks.test-support.js';
import { transportFor } from './transports.js';

const relayStub: HttpTransportV1 = { specificationVersion: 'v1', kind: 'direct', send: () => Promise.reject(new Error('unused')) };

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function callBack(url: string, body: unknown, bearer = CLIENT_TOKEN): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

function tokenOf(callback: string): string {
  return decodeURIComponent(callback.split('/').at(-2) as string);
}

/** Nothing the engine keeps or says may contain these. */
async function expectNowhere(e: Env, values: string[]): Promise<void> {
  const stored = await dumpStore(e.store);
  const logs = e.lines.join('\n');
  for (const value of values) {
    expect(stored).not.toContain(value);
    expect(logs).not.toContain(value);
  }
}

describe('runWebhook in a canary', () => {
  it('sends the rendered webhook, waits, and a success callback lets the deployment finish; a failure callback rolls back the next one', async () => {
    env = await startEnv();
    const webhook = ciWebhook('');
    webhook.uriTemplate = `${env.ci.url}${webhook.uriTemplate}`;
    await deployFirstVersion(env, webhook);
    expect(env.ci.requests).toHaveLength(0); // a first deployment skips the canary's steps

    const d = await env.engine.start(deployFile('web:2', webhook));
    const waiting = await driveUntil(env, d.id, webhookWaiting);
    expect(waiting.state.status).toBe('PAUSED');
    expect(env.ci.requests).toHaveLength(1);
    const request = env.ci.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/job/check-logs/build?app=shop-web&env=prod');
    expect(request.headers['authorization']).toBe(`Bearer ${SECRET}`);
    expect(request.headers['x-namespace']).toBe('shop');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-ferry-idempotency-key']).toBe(`${d.id}/${WEBHOOK_STEP}`);
    const body = JSON.parse(request.body) as { callback: string; deployment: string; team: string };
    expect(body.deployment).toBe(d.id);
    expect(body.team).toBe('payments');
    expect(body.callback).toMatch(new RegExp(`^${env.callbackBaseUrl}/v1/callbacks/${d.id}/prod%2Fstrategy%2F2/[A-Za-z0-9_-]{43}/callback$`));

    const answer = await callBack(body.callback, { success: true, mdMessage: 'logs are **clean**' });
    expect(answer.status).toBe(202);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('SUCCEEDED');
    const events = await env.engine.listEvents(d.id);
    expect(events.find((e) => e.type === 'webhook.sent')?.data).toMatchObject({ webhook: 'CheckLogs', status: 200, attempts: 1, callback: true });
    expect(events.find((e) => e.type === 'webhook.callback')?.data).toEqual({ webhook: 'CheckLogs', success: true, by: 'ci-system', mdMessage: 'logs are **clean**' });

    // The next version: the job reports failure and the canary rolls back.
    const next = await env.engine.start(deployFile('web:3', webhook));
    await driveUntil(env, next.id, webhookWaiting);
    const second = JSON.parse(env.ci.requests[1]!.body) as { callback: string };
    expect(tokenOf(second.callback)).not.toBe(tokenOf(body.callback));
    expect((await callBack(second.callback, { success: false, mdMessage: 'error rate doubled' })).status).toBe(202);
    const failed = await driveUntil(env, next.id, ended);
    expect(failed.state.status).toBe('FAILED');
    expect(failed.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(failed.state.targets['prod']?.steps[WEBHOOK_STEP]?.reason).toBe('webhook "CheckLogs" reported failure: error rate doubled');

    // The secret and the callback tokens reached the CI server, and nothing else.
    await expectNowhere(env, [SECRET, tokenOf(body.callback), tokenOf(second.callback)]);
    expect(env.lines.some((l) => l.includes('webhook sent'))).toBe(true);
  });

  it('after a crash mid-send it sends again with the same idempotency key, and the first copy can still be answered', async () => {
    env = await startEnv();
    const webhook = ciWebhook(env.ci.url, { uriTemplate: `${env.ci.url}/hook` });
    await deployFirstVersion(env, webhook);
    env.ci.hold.next = true; // the CI server takes the request and never answers: the engine dies waiting
    const d = await env.engine.start(deployFile('web:2', webhook));
    for (let i = 0; i < 200 && env.ci.requests.length === 0; i++) {
      if (i % 10 === 9) env.clock.runNext();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(env.ci.requests).toHaveLength(1);
    expect((await env.engine.get(d.id)).state.targets['prod']?.steps[WEBHOOK_STEP]?.status).toBe('RUNNING');

    await env.restart();
    const waiting = await driveUntil(env, d.id, webhookWaiting);
    expect(env.ci.requests).toHaveLength(2);
    const [first, second] = env.ci.requests.map((r) => JSON.parse(r.body) as { callback: string });
    expect(env.ci.requests.map((r) => r.headers['x-ferry-idempotency-key'])).toEqual([`${d.id}/${WEBHOOK_STEP}`, `${d.id}/${WEBHOOK_STEP}`]);
    expect(first!.callback).not.toBe(second!.callback);
    expect(waiting.state.targets['prod']?.steps[WEBHOOK_STEP]?.callbackTokenHashes).toHaveLength(2);

    // A CI system that dropped the duplicate answers the first request's callback URI.
    expect((await callBack(first!.callback, { success: true })).status).toBe(202);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(env.ci.requests).toHaveLength(2);
  });

  it('retries a 503 with backoff and the same idempotency key, then succeeds (disableCallback)', async () => {
    env = await startEnv();
    const webhook = ciWebhook(env.ci.url, { disableCallback: true, bodyTemplate: { inline: '{"team": "{{context.team}}"}' }, uriTemplate: `${env.ci.url}/hook` });
    await deployFirstVersion(env, webhook);
    env.ci.statuses.push(503, 503);
    const d = await env.engine.start(deployFile('web:2', webhook));
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(env.ci.requests).toHaveLength(3);
    expect(new Set(env.ci.requests.map((r) => r.headers['x-ferry-idempotency-key']))).toEqual(new Set([`${d.id}/${WEBHOOK_STEP}`]));
    expect((await env.engine.listEvents(d.id)).find((e) => e.type === 'webhook.sent')?.data).toMatchObject({ status: 200, attempts: 3, callback: false });
    await expectNowhere(env, [SECRET]);
  });

  it('with disableCallback, a 500 after every retry fails the step and rolls back', async () => {
    env = await startEnv();
    const webhook = ciWebhook(env.ci.url, { disableCallback: true, retryCount: 1, bodyTemplate: { inline: '{}' }, uriTemplate: `${env.ci.url}/hook?token={{secrets.ci_token}}` });
    await deployFirstVersion(env, webhook);
    env.ci.statuses.push(500, 500);
    const d = await env.engine.start(deployFile('web:2', webhook));
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('FAILED');
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(done.state.targets['prod']?.steps[WEBHOOK_STEP]?.reason).toBe('webhook "CheckLogs" answered HTTP 500 (2 attempts)');
    expect(env.ci.requests).toHaveLength(2);
    expect(env.ci.requests[0]?.url).toBe(`/hook?token=${SECRET}`);
    await expectNowhere(env, [SECRET]);
  });

  it('a 4xx is final: no retry', async () => {
    env = await startEnv();
    const webhook = ciWebhook(env.ci.url, { disableCallback: true, retryCount: 3, bodyTemplate: { inline: '{}' }, uriTemplate: `${env.ci.url}/hook` });
    await deployFirstVersion(env, webhook);
    env.ci.statuses.push(404);
    const d = await env.engine.start(deployFile('web:2', webhook));
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.targets['prod']?.steps[WEBHOOK_STEP]?.reason).toBe('webhook "CheckLogs" answered HTTP 404 (1 attempt)');
    expect(env.ci.requests).toHaveLength(1);
  });

  it('fails the step when no callback arrives before the timeout', async () => {
    env = await startEnv();
    const webhook = ciWebhook(env.ci.url, { uriTemplate: `${env.ci.url}/hook` });
    await deployFirstVersion(env, webhook);
    const d = await env.engine.start(deployFile('web:2', webhook));
    const waiting = await driveUntil(env, d.id, webhookWaiting);
    const sentAt = env.clock.now();
    expect(waiting.state.targets['prod']?.steps[WEBHOOK_STEP]?.state).toEqual({ phase: 'awaitingCallback', sentAt, deadline: sentAt + 24 * 3_600_000 });
    env.clock.advance(24 * 3_600_000 - 1);
    await env.engine.idle();
    expect((await env.engine.get(d.id)).state.targets['prod']?.steps[WEBHOOK_STEP]?.status).toBe('WAITING');
    env.clock.advance(1);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('FAILED');
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(done.state.targets['prod']?.steps[WEBHOOK_STEP]?.reason).toBe(
      `no callback for webhook "CheckLogs" within 24 hours of sending it (deadline ${new Date(sentAt + 24 * 3_600_000).toISOString()})`,
    );
    expect(env.ci.requests).toHaveLength(1); // waking to time out never sends again
  });

  it('fails when the host cannot be reached, naming the network error but not the URL', async () => {
    env = await startEnv();
    const unreachable = `${env.ci.url}/hook?key={{secrets.ci_token}}`;
    await env.ci.close();
    const webhook = ciWebhook(env.ci.url, { disableCallback: true, retryCount: 1, uriTemplate: unreachable, bodyTemplate: { inline: '{}' } });
    const file = deployFile('web:1', webhook);
    file.config.targets['prod']!.constraints.beforeDeployment = [{ kind: 'runWebhook', name: 'CheckLogs', context: {} }];
    const d = await env.engine.start(file);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('FAILED');
    expect(done.state.targets['prod']?.steps['prod/before/0']?.reason).toBe('webhook "CheckLogs" the request could not be sent (ECONNREFUSED) (2 attempts)');
    await expectNowhere(env, [SECRET]);
    expect(env.lines.join('\n')).not.toContain(env.ci.url);
  });
});

describe('networkMode: remoteNetworkAgent', () => {
  it('sends through the transport registered for the agent (default: the target account)', async () => {
    const relayed: HttpRequestV1[] = [];
    const relay: HttpTransportV1 = {
      specificationVersion: 'v1',
      kind: 'remoteNetworkAgent',
      async send(request, { signal }) {
        signal.throwIfAborted();
        relayed.push(request);
        return { status: 204, headers: {}, body: '' };
      },
    };
    env = await startEnv({ agentTransports: new Map([['prod-cluster', relay]]) });
    const webhook = ciWebhook('http://jenkins.internal:8080', { networkMode: 'remoteNetworkAgent', disableCallback: true, uriTemplate: 'http://jenkins.internal:8080/job/{{context.job}}', bodyTemplate: { inline: '{"team": "{{context.team}}"}' } });
    const file = deployFile('web:1', webhook);
    file.config.targets['prod']!.constraints.beforeDeployment = [{ kind: 'runWebhook', name: 'CheckLogs', context: { team: 'core' } }];
    const d = await env.engine.start(file);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ method: 'POST', url: 'http://jenkins.internal:8080/job/check-logs', headers: { Authorization: `Bearer ${SECRET}` } });
    expect(env.ci.requests).toHaveLength(0);
  });

  it('fails with FerryUnavailableError naming the agent when none is registered for it', async () => {
    env = await startEnv({ agentTransports: new Map() });
    const webhook = ciWebhook(env.ci.url, { networkMode: 'remoteNetworkAgent', agentIdentifier: 'prod-west', disableCallback: true });
    const file = deployFile('web:1', webhook);
    file.config.targets['prod']!.constraints.beforeDeployment = [{ kind: 'runWebhook', name: 'CheckLogs', context: { team: 'core' } }];
    const d = await env.engine.start(file);
    const done = await driveUntil(env, d.id, ended);
    expect(done.state.status).toBe('FAILED');
    const reason = done.state.targets['prod']?.steps['prod/before/0']?.reason;
    expect(reason).toBe('webhook "CheckLogs" is sent through the Remote Network Agent "prod-west", but no transport is registered for that agent (is the agent connected?)');
    expect(env.ci.requests).toHaveLength(0);
    expect(() => transportFor(webhook, file.config.targets['prod']!, { direct: relayStub, agents: new Map() })).toThrow(FerryUnavailableError);
  });
});
