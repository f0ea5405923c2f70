// This package's own e2e setup: two clusters (one test checks they are independent) with the
// simulated node, so Deployments get ready pods.
import { devclusterGlobalSetup } from './global-setup.js';

export default devclusterGlobalSetup({ clusters: 2, node: true, prometheus: false });
