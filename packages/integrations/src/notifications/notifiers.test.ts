import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, definePlugin, FerryInputError, type EngineEventV1 } from '@ferry/core';
import { MemoryStore, approvalPause, createFakeCluster, createManualClock, testDeployFile, testTarget } from '@ferry/core/testing';
import { canary, thresholdJudgePlugin } from '@ferry/strategies';
import { afterEach, describe, expect, it } from 'vitest';
import { notifications } from './plugin.js';
import { slackMessage } from './slack-message.js';
import { slackNotifier } from './slack-notifier.js';
import { webhookNotifier } from './webhook-notifier.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

async function receiver(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.statusCode = status;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const event = (type: string, data: EngineEventV1['data'], extra: Partial<EngineEventV1> = {}): EngineEventV1 => ({ seq: 7, deploymentId: 'd-1', type, at: Date.UTC(2026, 0, 1), data, ...extra });
const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
});

describe('notifiers in a deployment', () => {
  it('post JSON events and Slack messages for an approval and a completion', async () => {
    const hook = await receiver();
    const slack = await receiver();
    const clock = createManualClock();
    const cluster = createFakeCluster({ clock });
    const engine = createEngine({
      store: new MemoryStore(),
      clock,
      plugins: [
        canary(),
        thresholdJudgePlugin(),
        definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) }),
        notifications(
          webhookNotifier({ name: 'audit', url: `${hook.url}/events`, events: ['deployment.completed', 'approval.requested'], headers: { Authorization: 'Bearer audit-token' } }),
          slackNotifier({ name: 'team-channel', webhookUrl: `${slack.url}/services/T000/B000/XXXX` }),
        ),
      ],
    });
    const file = (image: string) =>
      testDeployFile({ application: 'shop', targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: { c: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 50 }, approvalPause()] } } }, [deployment(image)]);
    const first = await engine.start(file('web:1'));
    await engine.idle();
    expect((await engine.get(first.id)).state.status).toBe('SUCCEEDED');
    const d = await engine.start(file('web:2'));
    await engine.idle();
    expect((await engine.get(d.id)).state.status).toBe('AWAITING_APPROVAL');
    await engine.approve(d.id, { target: 'prod', by: 'alice' });
    await engine.idle();
    expect((await engine.get(d.id)).state.status).toBe('SUCCEEDED');
    await engine.close();

    expect(hook.received.map((r) => [r.url, r.headers['authorization'], (r.body as { event: EngineEventV1 }).event.type])).toEqual([
      ['/events', 'Bearer audit-token', 'deployment.completed'],
      ['/events', 'Bearer audit-token', 'approval.requested'],
      ['/events', 'Bearer audit-token', 'deployment.completed'],
    ]);
    expect((hook.received[1]?.body as { event: EngineEventV1 }).event).toMatchObject({ deploymentId: d.id, target: 'prod', data: { kind: 'pause' } });
    const texts = slack.received.map((r) => (r.body as { text: string }).text);
    expect(texts).toEqual([':white_check_mark: Deployment succeeded', ':raised_hand: Approval needed on *prod*: pause until approved', ':white_check_mark: Deployment succeeded']);
    expect(slack.received[1]?.url).toBe('/services/T000/B000/XXXX');
  });
});

describe('slackMessage', () => {
  it('says what happened for approvals, failures, rollbacks and completions, escaping mrkdwn', () => {
    expect(slackMessage(event('approval.requested', { kind: 'pause', message: 'ok <to> ship & go?', requiresRoles: ['sre'] }, { target: 'prod' })).text).toBe(
      ':raised_hand: Approval needed on *prod*: ok &lt;to&gt; ship &amp; go? (roles: sre)',
    );
    expect(slackMessage(event('step.failed', { reason: 'webhook "scan" answered HTTP 500' }, { target: 'prod', stepId: 'prod/strategy/2' })).text).toBe(':x: A step failed on *prod*: webhook "scan" answered HTTP 500');
    expect(slackMessage(event('target.rollingBack', { reason: 'analysis failed', by: 'ferry' }, { target: 'prod' })).text).toBe(':rewind: Rolling back on *prod*: analysis failed');
    expect(slackMessage(event('target.rolledBack', { reason: 'analysis failed' }, { target: 'prod' })).text).toBe(':leftwards_arrow_with_hook: Rolled back on *prod*: analysis failed');
    expect(slackMessage(event('deployment.completed', { status: 'FAILED', reason: 'step x failed' })).text).toBe(':x: Deployment ended FAILED: step x failed');
    expect(slackMessage(event('deployment.completed', { status: 'CANCELLED' })).text).toBe(':no_entry_sign: Deployment ended CANCELLED');
    const message = slackMessage(event('step.failed', { reason: 'boom' }, { target: 'prod', stepId: 'prod/before/0' }));
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: ':x: A step failed on *prod*: boom' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*Deployment* `d-1` · *Target* prod · *Step* `prod/before/0` · 2026-01-01T00:00:00.000Z' }] },
    ]);
  });
});

describe('notifier errors', () => {
  it('name the status but never the URL (a Slack webhook URL is a secret)', async () => {
    const down = await receiver(500);
    const secretPath = '/services/T000/B000/s3cretPath';
    const notifier = slackNotifier({ name: 'team', webhookUrl: `${down.url}${secretPath}` });
    const error = await notifier.notify(event('deployment.completed', { status: 'SUCCEEDED' }), { signal: AbortSignal.timeout(5000) }).then(() => new Error('delivered'), (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('notifier "team": answered HTTP 500');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('s3cretPath');
    const closed = await receiver();
    await servers.pop()?.();
    const unreachable = webhookNotifier({ name: 'audit', url: `${closed.url}/x?token=s3cret` });
    const network = await unreachable.notify(event('x', {}), { signal: AbortSignal.timeout(5000) }).then(() => new Error('delivered'), (e: unknown) => e as Error);
    expect(network.message).toBe('notifier "audit": the request could not be sent (ECONNREFUSED)');
  });

  it('validates options', () => {
    expect(() => webhookNotifier({ name: 'x', url: 'not a url' })).toThrow(FerryInputError);
    expect(() => slackNotifier({ name: '', webhookUrl: 'https://hooks.example.com/x' })).toThrow(FerryInputError);
  });
});
