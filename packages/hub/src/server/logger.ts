import { destination as pinoDestination, pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { LoggerV1 } from '@ferry/core';

/**
 * Paths never written to logs: credentials in headers, cookies, client secrets, secret
 * values and passwords wherever they appear in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-ferry-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'client_secret',
  'clientSecret',
  'password',
  'value',
  'secret',
  'token',
  'accessToken',
  'access_token',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.access_token',
  'body.value',
  'body.password',
  'body.client_secret',
];

export function createHubLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'ferry-hub' },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // Never headers (credentials, cookies); URLs without the tokens some carry.
        req: (req: { method?: string; url?: string; id?: string; socket?: { remoteAddress?: string } }) => ({
          method: req.method,
          url: safeUrl(req.url ?? ''),
          remoteAddress: req.socket?.remoteAddress,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    options.destination ?? pinoDestination({ dest: 1, sync: false }),
  );
}

/** The engine's logger interface over pino (the same shape; pino's child returns a pino). */
export function engineLogger(logger: Logger): LoggerV1 {
  const wrap = (l: Logger): LoggerV1 => ({
    debug: (obj, msg) => (typeof obj === 'string' ? l.debug(obj) : l.debug(obj, msg)),
    info: (obj, msg) => (typeof obj === 'string' ? l.info(obj) : l.info(obj, msg)),
    warn: (obj, msg) => (typeof obj === 'string' ? l.warn(obj) : l.warn(obj, msg)),
    error: (obj, msg) => (typeof obj === 'string' ? l.error(obj) : l.error(obj, msg)),
    child: (bindings) => wrap(l.child(bindings)),
  });
  return wrap(logger);
}

/** Webhook callback URIs end with a step token, and OAuth query strings carry codes: both are cut. */
export function safeUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const cleaned = path.replace(/^(\/v1\/callbacks\/[^/]+\/[^/]+\/)[^/]+(\/callback)$/, '$1[redacted]$2');
  if (query === undefined) return cleaned;
  const params = new URLSearchParams(query);
  for (const name of [...params.keys()]) if (/code|token|secret|password|state|assertion/i.test(name)) params.set(name, '[redacted]');
  return `${cleaned}?${params.toString()}`;
}
