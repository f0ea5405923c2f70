/**
 * Test support (not exported): a local HTTP server standing in for a CI system, a
 * capturing logger, and a full engine (MemoryStore, manual clock, fake cluster, canary)
 * with the webhooks plugin and the callback receiver.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, definePlugin, type DeployFile, type FerryEngine, type KubeObject, type LoggerV1, type StepConfig, type WebhookConfig } from '@ferry/core';
import { MemoryStore, createFakeCluster, createManualClock, testDeployFile, testTarget, type ManualClock } from '@ferry/core/testing';
import { canary, thresholdJudgePlugin } from '@ferry/strategies';
import { createWebhookCallbackServer } from './callback-server.js';
import type { AgentTransportsV1 } from './transports.js';
import { webhooks } from './plugin.js';

export const SECRET = 'ci-s3cr3t-value-9f8e7d';
export const CLIENT_TOKEN = 'static-client-token-1234';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each request with the next scripted status (then 200), recording it. */
export async function startCiServer(): Promise<{ url: string; requests: ReceivedRequest[]; statuses: number[]; hold: { next: boolean }; close(): Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const statuses: number[] = [];
  /** `next: true`: record the next request but never answer it (the sender dies waiting). */
  const hold = { next: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (hold.next) {
        hold.next = false;
        return;
      }
      res.statusCode = statuses.shift() ?? 200;
      res.end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    statuses,
    hold,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every log line, bindings included, as JSON: what a real logger would write. */
export function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): LoggerV1 {
  const log = (level: string) => (obj: object | string, msg?: string) =>
    lines.push(JSON.stringify({ level, ...bindings, ...(typeof obj === 'string' ? { msg: obj } : obj), ...(msg ? { msg } : {}) }, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v)));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (b) => capturingLogger(lines, { ...bindings, ...b }) };
}

function webDeployment(image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

export function ciWebhook(ciUrl: string, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    name: 'CheckLogs',
    method: 'POST',
    uriTemplate: `${ciUrl}/job/{{context.job}}/build?app={{armory.applicationName}}&env={{armory.environmentName}}`,
    networkMode: 'direct',
    headers: [
      { key: 'Authorization', value: 'Bearer {{secrets.ci_token}}' },
      { key: 'X-Namespace', value: '{{armory.namespace}}' },
    ],
    bodyTemplate: { inline: '{"callback": "{{armory.callbackUri}}/callback", "deployment": "{{armory.deploymentId}}", "team": "{{context.team}}"}' },
    retryCount: 3,
    disableCallback: false,
    callbackTimeout: { duration: 24, unit: 'hours', ms: 24 * 3_600_000 },
    ...overrides,
  };
}

export const WEBHOOK_STEP = 'prod/strategy/2';

export function deployFile(image: string, webhook: WebhookConfig): DeployFile {
  const steps: StepConfig[] = [{ kind: 'setWeight', weight: 25 }, { kind: 'runWebhook', name: webhook.name, context: { team: 'payments' } }, { kind: 'setWeight', weight: 50 }];
  return testDeployFile(
    {
      application: 'shop-web',
      context: { job: 'check-logs' },
      targets: { prod: testTarget('prod', { strategy: 'rollout', account: 'prod-cluster' }) },
      strategies: { rollout: { kind: 'canary', name: 'rollout', steps } },
      webhooks: { [webhook.name]: webhook },
    },
    [webDeployment(image)],
  );
}

export interface Env {
  engine: FerryEngine;
  store: MemoryStore;
  clock: ManualClock;
  ci: Awaited<ReturnType<typeof startCiServer>>;
  callbackBaseUrl: string;
  lines: string[];
  /** Closes the engine (steps in flight are aborted, their outcomes lost: a crash) and starts another on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startEnv(options: { agentTransports?: AgentTransportsV1; bearerTokens?: Record<string, string> } = {}): Promise<Env> {
  const lines: string[] = [];
  const logger = capturingLogger(lines);
  const clock = createManualClock();
  const store = new MemoryStore();
  const cluster = createFakeCluster({ clock });
  const ci = await startCiServer();
  // The receiver needs the engine and the engine's plugin needs the receiver's URL.
  const late: { engine?: FerryEngine } = {};
  const receiver = createWebhookCallbackServer({
    engine: { callback: (id, input) => (late.engine as FerryEngine).callback(id, input) },
    host: '127.0.0.1',
    port: 0,
    bearerTokens: options.bearerTokens ?? { 'ci-system': CLIENT_TOKEN },
    logger,
  });
  const callbackBaseUrl = await receiver.listen();
  const makeEngine = () =>
    createEngine({
      store,
      clock,
      logger,
      owner: 'engine-a',
      secrets: async (name) => {
        if (name === 'ci_token') return SECRET;
        throw new Error(`no secret ${name}`);
      },
      plugins: [
        canary(),
        thresholdJudgePlugin(),
        definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) }),
        webhooks({ callbackBaseUrl, retryBaseDelayMs: 1, requestTimeoutMs: 5000, ...(options.agentTransports ? { agentTransports: options.agentTransports } : {}) }),
      ],
    });
  late.engine = makeEngine();
  const env: Env = {
    engine: late.engine,
    store,
    clock,
    ci,
    callbackBaseUrl,
    lines,
    async restart() {
      await env.engine.close();
      late.engine = makeEngine();
      env.engine = late.engine;
    },
    async close() {
      await env.engine.close();
      await receiver.close();
      await ci.close();
    },
  };
  return env;
}

/** Runs timers until the predicate holds or the deployment ends. */
export async function driveUntil(env: Env, id: string, done: (record: Awaited<ReturnType<FerryEngine['get']>>) => boolean, maxTicks = 200) {
  for (let i = 0; i < maxTicks; i++) {
    await env.engine.idle();
    const record = await env.engine.get(id);
    if (done(record) || ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'].includes(record.state.status)) return record;
    if (!env.clock.runNext()) throw new Error(`deployment ${id} is ${record.state.status} with no timer left`);
  }
  throw new Error(`deployment ${id} did not get there within ${maxTicks} ticks`);
}

export const ended = (r: { state: { status: string } }) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.state.status);
export const webhookWaiting = (r: { state: { targets: Record<string, { steps: Record<string, { status: string }> } | undefined> } }) =>
  r.state.targets['prod']?.steps[WEBHOOK_STEP]?.status === 'WAITING';

/** Deploys a first version (a canary's first deployment skips its steps), so later ones run them. */
export async function deployFirstVersion(env: Env, webhook: WebhookConfig): Promise<void> {
  const first = await env.engine.start(deployFile('web:1', webhook));
  const done = await driveUntil(env, first.id, ended);
  if (done.state.status !== 'SUCCEEDED') throw new Error(`first deployment ${done.state.status}: ${done.state.reason ?? ''}`);
}

/** Everything the store holds, as one JSON string. */
export async function dumpStore(store: MemoryStore): Promise<string> {
  const records = [];
  for (const summary of await store.list({ limit: 1000 })) records.push({ record: await store.get(summary.id), events: await store.listEvents(summary.id) });
  return JSON.stringify(records);
}
