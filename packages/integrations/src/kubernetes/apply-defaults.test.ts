import { describe, expect, it } from 'vitest';
import { withPortProtocols } from './apply-defaults.js';

describe('withPortProtocols', () => {
  it('fills in TCP on Service ports that omit it, keeping explicit protocols', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    };
    expect(withPortProtocols(service).spec).toEqual({
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    });
    // The input is not mutated: manifests are shared between targets.
    expect(service.spec.ports[0]).toEqual({ name: 'http', port: 80 });
  });

  it('fills in container and init-container ports of pod templates', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            initContainers: [{ name: 'init', ports: [{ containerPort: 9000 }] }],
            containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }, { name: 'sidecar' }],
          },
        },
      },
    };
    const spec = withPortProtocols(deployment).spec as typeof deployment.spec;
    expect(spec.template.spec.containers[0]?.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(spec.template.spec.containers[1]).toEqual({ name: 'sidecar' });
    expect(spec.template.spec.initContainers[0]?.ports).toEqual([{ containerPort: 9000, protocol: 'TCP' }]);
    expect(spec.template.metadata).toEqual({ labels: { app: 'web' } });
  });

  it('handles bare pods and CronJobs, and leaves other kinds untouched', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 1 }] }] } };
    expect((withPortProtocols(pod).spec as typeof pod.spec).containers[0]?.ports).toEqual([{ containerPort: 1, protocol: 'TCP' }]);
    const cron = {
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 2 }] }] } } } } },
    };
    const cronSpec = withPortProtocols(cron).spec as typeof cron.spec;
    expect(cronSpec.jobTemplate.spec.template.spec.containers[0]?.ports).toEqual([{ containerPort: 2, protocol: 'TCP' }]);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { ports: '80' } };
    expect(withPortProtocols(configMap)).toBe(configMap);
  });
});
