import { describe, expect, it } from 'vitest';
import { containerEnv } from './container-env.js';
import { type Pod } from './kube-types.js';

describe('containerEnv', () => {
  it('layers image env, literal values and fieldRefs like a kubelet', () => {
    const pod: Pod = {
      metadata: { name: 'web-1', namespace: 'shop', uid: 'u1', labels: { app: 'web' } },
      spec: {
        nodeName: 'n1',
        containers: [
          {
            name: 'app',
            image: 'ferry/sample-app:v1',
            env: [
              { name: 'VERSION', value: 'override' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'GREETING', value: 'pod $(POD_NAME) $(MISSING)' },
            ],
          },
        ],
      },
    };
    const env = containerEnv(pod, pod.spec.containers[0]!, { VERSION: 'v1', ERROR_RATE: '0' }, '10.244.0.9', '127.0.0.1');
    expect(env).toMatchObject({
      HOSTNAME: 'web-1',
      VERSION: 'override',
      ERROR_RATE: '0',
      POD_NAME: 'web-1',
      NS: 'shop',
      IP: '10.244.0.9',
      APP: 'web',
      GREETING: 'pod web-1 $(MISSING)',
    });
  });
});
