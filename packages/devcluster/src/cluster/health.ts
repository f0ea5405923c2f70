import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TlsClient {
  caCert: string;
  clientCert?: string;
  clientKey?: string;
}

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * One GET against a component on 127.0.0.1. For https URLs the certificate is verified
 * against the cluster CA in `tls`, and the client certificate (if any) is presented.
 */
export function httpGet(url: string, tls?: TlsClient, timeoutMs = 5_000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    };
    const req = url.startsWith('https:')
      ? httpsRequest(
          url,
          {
            ca: tls ? readFileSync(tls.caCert) : undefined,
            cert: tls?.clientCert ? readFileSync(tls.clientCert) : undefined,
            key: tls?.clientKey ? readFileSync(tls.clientKey) : undefined,
            timeout: timeoutMs,
            agent: false,
          },
          onResponse,
        )
      : httpRequest(url, { timeout: timeoutMs, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** True when GET `url` answers 200 within the timeout; any error counts as not healthy. */
export async function isHealthy(url: string, tls?: TlsClient, timeoutMs = 5_000): Promise<boolean> {
  try {
    return (await httpGet(url, tls, timeoutMs)).status === 200;
  } catch {
    return false;
  }
}

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Log file the error message points at. */
  logFile?: string;
  /** Fails fast (with its message) when, e.g., the process we wait for has already died. */
  abortIf?: () => string | undefined;
}

/** Polls `check` until it returns a value other than undefined, or throws a clear timeout error. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const where = options.logFile ? `; see ${options.logFile}` : '';
  let lastError: unknown;
  for (;;) {
    const aborted = options.abortIf?.();
    if (aborted) throw new Error(`${options.what}: ${aborted}${where}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}${last}${where}`, {
        cause: lastError,
      });
    }
    await sleep(options.intervalMs ?? 250);
  }
}
