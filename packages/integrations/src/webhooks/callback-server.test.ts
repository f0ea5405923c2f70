import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_TOKEN, WEBHOOK_STEP, ciWebhook, deployFile, deployFirstVersion, driveUntil, ended, startEnv, webhookWaiting, type Env } from './webhooks.test-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function post(url: string, body: string, authorization?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization !== undefined ? { Authorization: authorization } : {}) }, body });
  return { status: response.status, text: await response.text() };
}

/** A deployment whose webhook step waits; returns its callback URL and token. */
async function waitingDeployment(e: Env) {
  const webhook = ciWebhook(e.ci.url, { uriTemplate: `${e.ci.url}/hook` });
  await deployFirstVersion(e, webhook);
  const d = await e.engine.start(deployFile('web:2', webhook));
  await driveUntil(e, d.id, webhookWaiting);
  const callback = (JSON.parse(e.ci.requests.at(-1)!.body) as { callback: string }).callback;
  const token = decodeURIComponent(callback.split('/').at(-2) as string);
  return { id: d.id, callback, token };
}

describe('webhook callback receiver', () => {
  it('answers 401, 403, 400, 404 and 409 as it should, never echoing a token', async () => {
    env = await startEnv();
    const { id, callback, token } = await waitingDeployment(env);
    const ok = JSON.stringify({ success: true });
    const bearer = `Bearer ${CLIENT_TOKEN}`;
    const forged = `${token.slice(0, -2)}xx`;
    const base = `${env.callbackBaseUrl}/v1/callbacks/${id}`;

    const answers = {
      noBearer: await post(callback, ok),
      basicAuth: await post(callback, ok, 'Basic abc'),
      wrongBearer: await post(callback, ok, 'Bearer not-a-known-token'),
      wrongUriToken: await post(`${base}/${encodeURIComponent(WEBHOOK_STEP)}/${forged}/callback`, ok, bearer),
      badBody: await post(callback, JSON.stringify({ success: 'yes' }), bearer),
      extraKeys: await post(callback, JSON.stringify({ success: true, token }), bearer),
      notJson: await post(callback, '{not json', bearer),
      unknownStep: await post(`${base}/${encodeURIComponent('prod/strategy/9')}/${token}/callback`, ok, bearer),
      unknownDeployment: await post(`${env.callbackBaseUrl}/v1/callbacks/00000000-0000-0000-0000-000000000000/${encodeURIComponent(WEBHOOK_STEP)}/${token}/callback`, ok, bearer),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.status]))).toEqual({
      noBearer: 401,
      basicAuth: 401,
      wrongBearer: 403,
      wrongUriToken: 403,
      badBody: 400,
      extraKeys: 400,
      notJson: 400,
      unknownStep: 404,
      unknownDeployment: 404,
    });
    expect(JSON.parse(answers.wrongUriToken.text)).toEqual({ error: { code: 'invalid_callback_token', message: `the callback token is not valid for step ${WEBHOOK_STEP}` } });
    for (const answer of Object.values(answers)) {
      expect(answer.text).not.toContain(token);
      expect(answer.text).not.toContain(forged);
      expect(answer.text).not.toContain(CLIENT_TOKEN);
    }
    expect((await env.engine.get(id)).state.targets['prod']?.steps[WEBHOOK_STEP]?.status).toBe('WAITING');

    // The step's own token works as the bearer credential too.
    const accepted = await post(callback, JSON.stringify({ success: true, mdMessage: 'ok' }), `Bearer ${token}`);
    expect(accepted.status).toBe(202);
    const done = await driveUntil(env, id, ended);
    expect(done.state.status).toBe('SUCCEEDED');
    expect((await env.engine.listEvents(id)).find((e) => e.type === 'step.callbackReceived')?.data).toEqual({ success: true, by: 'callback-token' });

    // The step is over: a second answer conflicts.
    const late = await post(callback, ok, bearer);
    expect(late.status).toBe(409);
    expect(late.text).not.toContain(token);
    expect(env.lines.join('\n')).not.toContain(token);
    expect(env.lines.join('\n')).not.toContain(CLIENT_TOKEN);
  });
});
