import { describe, expect, it } from 'vitest';
import { backoffDelay, createRedactor, serverRequestedDelay, sleep } from './index.js';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles per attempt, with half the delay random', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(20, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(500);
  });
});

describe('serverRequestedDelay', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(serverRequestedDelay({ 'retry-after': '3' }, now)).toBe(3_000);
    expect(serverRequestedDelay({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5_000);
  });

  it('reads X-RateLimit-Reset as seconds until the reset, or as an epoch timestamp', () => {
    expect(serverRequestedDelay({ 'x-ratelimit-reset': '2' }, now)).toBe(2_000);
    expect(serverRequestedDelay({ 'x-ratelimit-reset': String(now / 1000 + 7) }, now)).toBe(7_000);
  });

  it('prefers Retry-After, and is undefined without usable headers', () => {
    expect(serverRequestedDelay({ 'retry-after': '1', 'x-ratelimit-reset': '9' }, now)).toBe(1_000);
    expect(serverRequestedDelay({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(serverRequestedDelay({}, now)).toBeUndefined();
  });
});

describe('createRedactor', () => {
  it('replaces every occurrence of every secret, longest first', () => {
    const redact = createRedactor(['secret-token', 'secret-token-long', undefined]);
    expect(redact('a secret-token-long and a secret-token')).toBe('a [redacted] and a [redacted]');
  });

  it('ignores secrets too short to redact safely', () => {
    expect(createRedactor(['ab'])('ab cd')).toBe('ab cd');
  });
});

describe('sleep', () => {
  it('rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
  });
});
