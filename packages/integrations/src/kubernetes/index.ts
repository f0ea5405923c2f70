export { createKubeClusterClient } from './cluster-client.js';
export {
  kubeconfigConnector,
  kubeconfigConnectorOptions,
  type KubeconfigConnectorOptions,
} from './kubeconfig-connector.js';
export { kubernetes } from './plugin.js';
