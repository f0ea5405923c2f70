import { devclusterGlobalSetup } from '@ferry/devcluster/vitest/global-setup';

export default devclusterGlobalSetup({ clusters: 1, node: true, prometheus: false });
