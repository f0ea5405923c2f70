import type { ClusterClientV1, ClusterConnectorV1 } from '../plugins/contracts.js';

/**
 * Wraps a connector over a shared cluster so that every call fails once `dead()` says its
 * process has died: crash-resume tests drop an engine and must not let it touch the cluster again.
 */
export function dyingConnector(inner: ClusterConnectorV1, dead: () => boolean): ClusterConnectorV1 {
  const check = () => {
    if (dead()) throw new Error('process is dead');
  };
  return {
    ...inner,
    async client(target, options) {
      check();
      const client = await inner.client(target, options);
      const wrapped: ClusterClientV1 = {
        apply: async (...a) => (check(), client.apply(...a)),
        get: async (...a) => (check(), client.get(...a)),
        list: async (...a) => (check(), client.list(...a)),
        patch: async (...a) => (check(), client.patch(...a)),
        delete: async (...a) => (check(), client.delete(...a)),
      };
      return wrapped;
    },
  };
}
