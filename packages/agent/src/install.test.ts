import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAllYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { installAgent } from './install.js';
import { agentManifests, DEFAULT_AGENT_RULES } from './install-manifests.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', 'deploy', 'manifests', 'ferry-agent.yaml');
type Obj = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
const input = { identifier: 'edge-1', namespace: 'ferry-edge', hubAddress: 'hub.example:9443', issuer: 'https://hub.example/oidc', clientId: 'ferry-abc', clientSecret: 's3cret-value' };

describe('the agent install manifests', () => {
  it('follow deploy/manifests/ferry-agent.yaml: rules, replicas, probes, security and env', () => {
    const template = loadAllYaml(readFileSync(TEMPLATE, 'utf8')) as Obj[];
    const made = agentManifests(input) as Obj[];
    expect(made.map((o) => o.kind)).toEqual(['Namespace', ...template.map((o) => o.kind)]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading nested manifest fields in assertions
    const byKind = (list: Obj[], kind: string) => list.find((o) => o.kind === kind) as Record<string, any>;
    expect(byKind(made, 'ClusterRole').rules).toEqual(byKind(template, 'ClusterRole').rules);
    expect(DEFAULT_AGENT_RULES).toEqual(byKind(template, 'ClusterRole').rules);
    const spec = byKind(made, 'Deployment').spec;
    const templateSpec = byKind(template, 'Deployment').spec;
    expect(spec.replicas).toBe(templateSpec.replicas);
    const [container] = spec.template.spec.containers;
    const [templateContainer] = templateSpec.template.spec.containers;
    for (const key of ['livenessProbe', 'readinessProbe', 'ports', 'resources', 'securityContext', 'image']) expect(container[key]).toEqual(templateContainer[key]);
    expect(spec.template.spec.securityContext).toEqual(templateSpec.template.spec.securityContext);
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(templateContainer.env.map((e: { name: string }) => e.name)));
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ FERRY_AGENT_IDENTIFIER: 'edge-1', FERRY_HUB_ADDRESS: 'hub.example:9443', FERRY_ISSUER: 'https://hub.example/oidc' });
    expect(byKind(made, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ferry-agent', namespace: 'ferry-edge' }]);
    expect(made.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding').every((o) => o.metadata.namespace === 'ferry-edge')).toBe(true);
  });

  it('take custom rules and mount the hub CA from the Secret', () => {
    const rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading nested manifest fields in assertions
    const made = agentManifests({ ...input, rules, caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' }) as Array<Record<string, any>>;
    expect(made.find((o) => o.kind === 'ClusterRole')?.rules).toEqual(rules);
    const deployment = made.find((o) => o.kind === 'Deployment');
    expect(deployment?.spec.template.spec.containers[0].env).toContainEqual({ name: 'FERRY_HUB_CA_FILE', value: '/etc/ferry-agent/hub-ca.pem' });
    expect(made.find((o) => o.kind === 'Secret')?.stringData['hub-ca.pem']).toContain('BEGIN CERTIFICATE');
  });

  it('print on a dry run without the client secret and without touching a cluster', async () => {
    const result = await installAgent({ ...input, dryRun: true, kubeconfigPath: '/nonexistent/kubeconfig' });
    expect(result.manifests).toContain('kind: Deployment');
    expect(result.manifests).toContain('clientId: ferry-abc');
    expect(result.manifests).not.toContain('s3cret-value');
    expect(result.applied.map((a) => `${a.kind}/${a.name}`)).toEqual(['Namespace/ferry-edge', 'ServiceAccount/ferry-agent', 'ClusterRole/ferry-agent-ferry-edge', 'ClusterRoleBinding/ferry-agent-ferry-edge', 'Secret/ferry-agent', 'Deployment/ferry-agent']);
  });

  it('refuses to install without the issuer the agent gets its token from', async () => {
    await expect(installAgent({ ...input, issuer: undefined as never, dryRun: true })).rejects.toThrow(/issuer is required/);
  });
});
