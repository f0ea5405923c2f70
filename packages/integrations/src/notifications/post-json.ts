import { FerryUnavailableError } from '@ferry/core';

/**
 * POSTs JSON and fails on anything but 2xx. Errors name the notifier and the status or
 * network failure, never the URL or headers: a Slack webhook URL is itself a secret.
 */
export async function postJson(notifier: string, url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body), signal, redirect: 'manual' });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    throw new FerryUnavailableError(`notifier "${notifier}": the request could not be sent (${typeof cause?.code === 'string' ? cause.code : 'network error'})`, { code: 'notifier_unreachable' });
  }
  await response.arrayBuffer().catch(() => undefined); // drain, so the connection is reused
  if (response.status < 200 || response.status >= 300) {
    throw new FerryUnavailableError(`notifier "${notifier}": answered HTTP ${response.status}`, { code: 'notifier_failed', details: { status: response.status } });
  }
}
