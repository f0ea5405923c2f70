import { createEngine, definePlugin, type FerryEngine } from '@ferry/core';
import { MemoryStore, createFakeCluster } from '@ferry/core/testing';
import { canary } from '@ferry/strategies';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWebhookStage } from './orca-driver.test-support.js';
import { createSpinnakerEndpoint } from './server.js';

/**
 * The endpoint's HTTP contract over real loopback HTTP, with a real engine on an in-memory
 * cluster (the dev-cluster run is server.e2e.test.ts).
 */
const TOKEN = 'a-shared-secret-of-orca-and-ferry';
let engine: FerryEngine;
let app: FastifyInstance;
let url: string;

beforeEach(async () => {
  const cluster = createFakeCluster({ readyDelayMs: 50 });
  engine = createEngine({
    store: new MemoryStore(),
    pollIntervalMs: 50,
    plugins: [canary({ pollIntervalMs: 50 }), definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) })],
  });
  app = createSpinnakerEndpoint({ engine, token: TOKEN });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await app.close();
  await engine.close();
});

const deployFile = (application: string, pause = 0) => `version: v1
kind: kubernetes
application: ${application}
targets:
  prod: {account: prod-cluster, namespace: shop, strategy: half}
strategies:
  half:
    canary:
      steps:
        - setWeight: 50
${pause ? `        - pause: {duration: ${pause}, unit: seconds}\n` : ''}manifests:
  - path: app.yaml
`;
const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:1"}]}
`;

describe('the Spinnaker-facing endpoint', () => {
  it('starts a deployment and answers the status URL until SUCCEEDED, as Orca polls it', async () => {
    const result = await runWebhookStage({
      url: `${url}/spinnaker/deployments`,
      token: TOKEN,
      payload: { deployFile: deployFile('web'), manifests: { 'app.yaml': APP }, contextJson: '{"version": "v1", "build": 42}', user: 'alice' },
    });
    expect(result.startResponse.status).toBe(202);
    const id = result.startResponse.body.id as string;
    expect(result.startResponse.body.statusUrl).toBe(`${url}/spinnaker/deployments/${id}`);
    expect(result.outcome).toBe('SUCCEEDED');
    expect(result.last).toMatchObject({ id, application: 'web', status: 'SUCCEEDED', targets: [{ name: 'prod', status: 'SUCCEEDED', reason: null }] });
    const record = await engine.get(id);
    expect(record.spec.context).toEqual({ version: 'v1', build: '42' });
    expect(record.spec.by).toBe('alice');
  });

  it('cancels a running deployment when the stage is cancelled', async () => {
    // A constraint that waits an hour before the target deploys: the stage is cancelled meanwhile.
    const waiting = deployFile('cancel-me').replace('strategy: half}', 'strategy: half, constraints: {beforeDeployment: [{pause: {duration: 3600, unit: seconds}}]}}');
    let cancelled = false;
    const result = await runWebhookStage({
      url: `${url}/spinnaker/deployments`,
      token: TOKEN,
      payload: { deployFile: waiting, manifests: { 'app.yaml': APP }, context: { version: 'v1' } },
      onPoll: async (status) => {
        if (cancelled || !JSON.stringify(status.targets).includes('PAUSED')) return;
        cancelled = true;
        const response = await fetch(`${url}/spinnaker/deployments/${String(status.id)}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
        expect(response.status).toBe(202);
      },
    });
    expect(cancelled, JSON.stringify(result.last)).toBe(true);
    expect(result.outcome).toBe('CANCELED');
    expect(result.last).toMatchObject({ status: 'CANCELLED', targets: [{ name: 'prod', status: 'CANCELLED' }] });
  });

  it('refuses a request without the shared token, or with another one', async () => {
    const none = await fetch(`${url}/spinnaker/deployments/x`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${url}/spinnaker/deployments/x`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'unauthenticated', message: 'a valid bearer token is required' });
  });

  it('answers an invalid deployment file with 400 naming the path, so the stage fails at once', async () => {
    const result = await runWebhookStage({
      url: `${url}/spinnaker/deployments`,
      token: TOKEN,
      payload: { deployFile: deployFile('web').replace('strategy: half', 'strategy: hlaf'), manifests: { 'app.yaml': APP } },
    });
    expect(result.outcome).toBe('TERMINAL');
    expect(result.startResponse.status).toBe(400);
    expect(result.startResponse.body.error).toBe('invalid_deploy_file');
    expect(String(result.startResponse.body.message)).toMatch(/targets\.prod\.strategy.*hlaf/);
  });

  it('validates the body and names the bad field; an unknown deployment is 404', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const missing = await fetch(`${url}/spinnaker/deployments`, { method: 'POST', headers, body: JSON.stringify({ manifests: {} }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/^body\.deployFile: /);
    const badContext = await fetch(`${url}/spinnaker/deployments`, { method: 'POST', headers, body: JSON.stringify({ deployFile: deployFile('web'), contextJson: '[1]' }) });
    expect(badContext.status).toBe(400);
    expect(((await badContext.json()) as { message: string }).message).toBe('body.contextJson: must be a JSON object');
    const unknown = await fetch(`${url}/spinnaker/deployments/nope`, { headers });
    expect(unknown.status).toBe(404);
  });
});
