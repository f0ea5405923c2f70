import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JobCall {
  body: Record<string, unknown>;
  /** The HTTP status the callback receiver answered. */
  callbackStatus?: number;
}

export interface WebhookJob {
  /** Where the deploy file's `uriTemplate` points. */
  url: string;
  calls: JobCall[];
  /** Resolves once every callback sent so far has its answer (the engine may act on a callback before the job reads the reply). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An external job (a CI check) reached by a `runWebhook`: it answers 202 at once, then reports
 * its verdict later by POSTing to `{callbackUri}/callback` with the step's token as bearer token.
 */
export async function startWebhookJob(verdict: { success: boolean; mdMessage: string; delayMs?: number }): Promise<WebhookJob> {
  const calls: JobCall[] = [];
  const pending = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const call: JobCall = { body };
      calls.push(call);
      res.writeHead(202).end();
      const answer = reportLater(call, verdict);
      pending.add(answer);
      void answer.finally(() => pending.delete(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/check`,
    calls,
    async settled() {
      await Promise.allSettled([...pending]);
    },
    async close() {
      await Promise.allSettled([...pending]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function reportLater(call: JobCall, verdict: { success: boolean; mdMessage: string; delayMs?: number }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, verdict.delayMs ?? 500));
  const callbackUri = String(call.body.callbackUri);
  const token = decodeURIComponent(callbackUri.split('/').at(-1) ?? '');
  try {
    const res = await fetch(`${callbackUri}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ success: verdict.success, mdMessage: verdict.mdMessage }),
      signal: AbortSignal.timeout(10_000),
    });
    call.callbackStatus = res.status;
  } catch {
    call.callbackStatus = -1;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return { unparsable: Buffer.concat(chunks).toString('utf8') };
  }
}
