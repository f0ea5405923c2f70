import { devclusterGlobalSetup } from '@ferry/devcluster/vitest/global-setup';

/** Every integrations e2e test shares two dev clusters, each with its own Prometheus. */
export default devclusterGlobalSetup({ clusters: 2, prometheus: true });
