import type { MetricProviderV1 } from '../plugins/contracts.js';
import type { NotificationSettings } from './notifier-dispatch.js';

/** Which deployment a resolver is asked on behalf of. */
export interface DeploymentScope {
  deploymentId: string;
  application: string;
  tenant: string;
}

/** Engine-wide settings resolved from `createEngine` options. */
export interface EngineSettings {
  /** This engine's lease owner name. */
  owner: string;
  leaseTtlMs: number;
  /** How often leases are renewed and the store is scanned for claimable and due deployments. */
  pollIntervalMs: number;
  /** Resolves `{{secrets.NAME}}` for plugins that send outgoing requests. */
  secrets?: (name: string, scope: DeploymentScope) => Promise<string>;
  /**
   * Looked up before the registry's metric providers: a host with per-tenant integrations
   * (the hub) answers its own provider for the name, or undefined to fall back.
   */
  resolveMetricProvider?: (name: string, scope: DeploymentScope) => MetricProviderV1 | undefined;
  /** Retries and timeouts of notifier deliveries; defaults in DEFAULT_NOTIFICATION_SETTINGS. */
  notifications?: Partial<NotificationSettings>;
}
