import { FerryInputError, FerryNotFoundError, type MetricProviderV1 } from '@ferry/core';
import { datadogMetricProvider, newRelicMetricProvider, prometheusMetricProvider } from '@ferry/integrations/metrics';
import type { IntegrationRecord, IntegrationRepository, SecretVault } from '../contracts.js';
import { resolveSecretSettings } from './settings-secrets.js';

/** Integration types that are metric providers. */
export const METRIC_PROVIDER_TYPES = ['prometheus', 'datadog', 'newrelic'] as const;

export interface TenantMetricProviders {
  /** Builds the provider a tenant configured under this name (settings' secrets resolved from its vault). */
  resolve(tenant: string, name: string): Promise<MetricProviderV1>;
  /** A provider for an integration record (not necessarily saved yet). */
  fromIntegration(integration: IntegrationRecord, tenant: string): Promise<MetricProviderV1>;
  /**
   * A provider object the engine can hold synchronously: each query resolves the tenant's
   * current integration, so a changed URL or rotated key applies to the next query.
   */
  lazy(tenant: string, name: string): MetricProviderV1;
}

export function tenantMetricProviders(options: { integrations: IntegrationRepository; vault: SecretVault }): TenantMetricProviders {
  const fromIntegration = async (integration: IntegrationRecord, tenant: string): Promise<MetricProviderV1> => {
    const settings = { ...(await resolveSecretSettings(integration.settings, tenant, options.vault)), name: integration.name };
    switch (integration.type) {
      case 'prometheus':
        return prometheusMetricProvider(settings as Parameters<typeof prometheusMetricProvider>[0]);
      case 'datadog':
        return datadogMetricProvider(settings as Parameters<typeof datadogMetricProvider>[0]);
      case 'newrelic':
        return newRelicMetricProvider(settings as Parameters<typeof newRelicMetricProvider>[0]);
      default:
        throw new FerryInputError(`integration type "${integration.type}" is not a metric provider (one of ${METRIC_PROVIDER_TYPES.join(', ')})`, { code: 'not_a_metric_provider' });
    }
  };
  const resolve = async (tenant: string, name: string): Promise<MetricProviderV1> => {
    for (const type of METRIC_PROVIDER_TYPES) {
      const integration = await options.integrations.get(tenant, type, name);
      if (integration) return fromIntegration(integration, tenant);
    }
    throw new FerryNotFoundError(`no metric provider named "${name}" in tenant "${tenant}" (add an integration of type ${METRIC_PROVIDER_TYPES.join(', ')})`, {
      code: 'unknown_metric_provider',
      details: { name, tenant },
    });
  };
  return {
    resolve,
    fromIntegration,
    lazy(tenant, name) {
      return {
        specificationVersion: 'v1',
        kind: 'hub-integration',
        name,
        query: async (input) => (await resolve(tenant, name)).query(input),
        testConnection: async (input) => (await resolve(tenant, name)).testConnection(input),
      };
    },
  };
}
