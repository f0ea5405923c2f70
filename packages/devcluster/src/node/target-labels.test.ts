import { describe, expect, it } from 'vitest';
import { type Pod } from './kube-types.js';
import { targetLabels } from './target-labels.js';

describe('targetLabels', () => {
  it('names the pod, its ReplicaSet and Ferry annotations as Prometheus labels', () => {
    const pod: Pod = {
      metadata: {
        name: 'web-7d9f-abcde',
        namespace: 'shop',
        labels: { app: 'web', 'pod-template-hash': '7d9f', 'ferry.dev/track': 'canary', team: 'x' },
        annotations: {
          'deploy.armory.io/replica-set-name': 'web-7d9f',
          'app.ferry.dev/deployment-id': 'd-42',
          'kubectl.kubernetes.io/restartedAt': 'now',
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f', uid: 'u', controller: true }],
      },
      spec: { containers: [] },
    };
    expect(targetLabels(pod, 'app')).toEqual({
      namespace: 'shop',
      pod: 'web-7d9f-abcde',
      container: 'app',
      replicaset: 'web-7d9f',
      pod_template_hash: '7d9f',
      app: 'web',
      ferry_dev_track: 'canary',
      deploy_armory_io_replica_set_name: 'web-7d9f',
      app_ferry_dev_deployment_id: 'd-42',
    });
  });
});
