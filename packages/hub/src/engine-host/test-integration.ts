import { toFerryError } from '@ferry/core';
import type { IntegrationRecord } from '../contracts.js';
import type { TenantMetricProviders } from './tenant-metric-providers.js';

const TEST_TIMEOUT_MS = 15_000;

/**
 * ApiContext.testIntegration: a real call with the integration's settings. Prometheus runs
 * the instant query `1` (`GET /api/v1/query?query=1`); Datadog and New Relic use their
 * provider's connection test. Messages come from the providers, which redact credentials.
 */
export function integrationTester(providers: TenantMetricProviders) {
  return async function testIntegration(integration: IntegrationRecord, tenant: string): Promise<{ ok: boolean; message: string }> {
    const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
    try {
      // One attempt, no retries: people wait for the answer.
      const record = { ...integration, settings: { ...integration.settings, retries: 0, timeoutMs: TEST_TIMEOUT_MS } };
      const provider = await providers.fromIntegration(record, tenant);
      if (integration.type === 'prometheus') {
        const end = Date.now();
        const result = await provider.query({ query: '1', window: { start: end - 60_000, end, stepSeconds: 15 }, signal });
        return result.value === 1 ? { ok: true, message: 'the query "1" answered 1' } : { ok: false, message: `the query "1" answered ${String(result.value)}` };
      }
      const answer = await provider.testConnection({ signal });
      return { ok: answer.ok, message: answer.message ?? (answer.ok ? 'connected' : 'the connection test failed') };
    } catch (error) {
      return { ok: false, message: toFerryError(error).message };
    }
  };
}
