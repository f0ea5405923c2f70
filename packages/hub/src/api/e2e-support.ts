/**
 * Helpers of the REST API's e2e suites: deployment files that wait for people (so no
 * cluster is touched while a test acts on them), an SSE client, and polling.
 */
import type { TestHub } from '../test-support/index.js';

export const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: hello\n';

/**
 * A deployment file whose only target waits in a before-deployment constraint: an approval
 * (optionally requiring roles) or a long timed pause. Nothing reaches a cluster until then.
 */
export function waitingDeployFile(application: string, wait: { approvalRoles?: string[] } | { pauseSeconds: number }, account = 'api-test-account'): string {
  const step =
    'pauseSeconds' in wait
      ? `pause: {duration: ${wait.pauseSeconds}, unit: seconds}`
      : `pause: {untilApproved: true${wait.approvalRoles ? `, requiresRoles: [${wait.approvalRoles.map((r) => JSON.stringify(r)).join(', ')}]` : ''}}`;
  return `version: v1
kind: kubernetes
application: ${application}
targets:
  staging:
    account: ${account}
    namespace: ${application}
    constraints:
      beforeDeployment:
        - ${step}
manifests:
  - path: manifests/
`;
}

export const MANIFESTS = { 'manifests/settings.yaml': CONFIG_MAP };

export interface SseEvent {
  id?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  headers: Headers;
  /** Every event so far (comments included as `{comment}`). */
  readonly events: SseEvent[];
  /** Resolves when an event matching `predicate` has arrived. */
  waitFor(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens an SSE stream with the test hub's fetch and parses it as it arrives. */
export async function openSse(hub: TestHub, path: string, token: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await hub.fetch(path, { token, headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          events.push(parseBlock(block));
          notify();
        }
      }
    } catch {
      // aborted by close()
    }
    notify();
  })();
  return {
    status: response.status,
    headers: response.headers as unknown as Headers,
    events,
    ended,
    close: () => abort.abort(),
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(predicate);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching server-sent event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(-5))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

function parseBlock(block: string): SseEvent {
  const event: SseEvent = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) event.id = line.slice(4);
    else if (line.startsWith('data: ')) event.data = (event.data ? `${event.data}\n` : '') + line.slice(6);
  }
  return event;
}

export function eventType(event: SseEvent): string | undefined {
  return event.data ? (JSON.parse(event.data) as { type: string }).type : undefined;
}

/** Polls `read` until `done` holds for its answer. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** GET a JSON body as the given token. */
export async function getJson<T = Record<string, unknown>>(hub: TestHub, path: string, token: string): Promise<{ status: number; body: T }> {
  const response = await hub.fetch(path, { token });
  return { status: response.status, body: (await response.json()) as T };
}
