import type { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { installCrds } from '../crds/install.js';
import { kubectl } from '../cluster/kubectl.js';
import { useTestNamespace } from '../vitest/index.js';
import { KubeHttp, KubeHttpError } from '../node/kube-http.js';

/** One request through a short-lived client: these tests make only a handful. */
async function kubeRequest<T>(kc: KubeConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const http = await KubeHttp.fromKubeConfig(kc);
  try {
    return method === 'GET' ? await http.get<T>(path) : await http.post<T>(path, body);
  } finally {
    http.close();
  }
}

interface Obj {
  metadata: { name: string };
  spec: Record<string, unknown>;
}

describe('installCrds', () => {
  const ns = useTestNamespace({ prefix: 'crds' });

  it('installs SMI, Istio and Gateway API CRDs (idempotently) and the API server serves them', async () => {
    const { name, kubeConfig, kubeconfigPath } = ns.current;
    const names = await installCrds(kubeconfigPath, ['smi', 'istio', 'gatewayApi']);
    expect(names).toEqual([
      'trafficsplits.split.smi-spec.io',
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
      'httproutes.gateway.networking.k8s.io',
    ]);
    // A second install updates in place.
    await expect(installCrds(kubeConfig, ['smi', 'istio', 'gatewayApi'])).resolves.toHaveLength(4);

    const manifests = `
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: { name: web, namespace: ${name} }
spec:
  service: web
  backends:
    - { service: web-stable, weight: 90 }
    - { service: web-canary, weight: 10 }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: web, namespace: ${name} }
spec:
  hosts: [web]
  http:
    - route:
        - { destination: { host: web, subset: stable }, weight: 90 }
        - { destination: { host: web, subset: canary }, weight: 10 }
      retries: { attempts: 3, perTryTimeout: 2s }
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: web, namespace: ${name} }
spec:
  host: web
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
  subsets:
    - { name: stable, labels: { track: stable } }
    - { name: canary, labels: { track: canary } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: ${name} }
spec:
  parentRefs: [{ name: gateway }]
  rules:
    - backendRefs:
        - { name: web-stable, port: 80, weight: 90 }
        - { name: web-canary, port: 80 }
`;
    const applied = await kubectl(kubeconfigPath, ['apply', '-f', '-'], { input: manifests });
    expect(applied.stdout.trim().split('\n')).toHaveLength(4);

    const get = <T>(path: string) => kubeRequest<T>(kubeConfig, 'GET', path);
    const split = await get<Obj>(`/apis/split.smi-spec.io/v1alpha2/namespaces/${name}/trafficsplits/web`);
    expect(split.spec).toEqual({ service: 'web', backends: [{ service: 'web-stable', weight: 90 }, { service: 'web-canary', weight: 10 }] });
    // Fields the schema does not spell out are kept, not pruned.
    const vs = await get<Obj>(`/apis/networking.istio.io/v1beta1/namespaces/${name}/virtualservices/web`);
    expect(vs.spec.http).toEqual([
      {
        route: [
          { destination: { host: 'web', subset: 'stable' }, weight: 90 },
          { destination: { host: 'web', subset: 'canary' }, weight: 10 },
        ],
        retries: { attempts: 3, perTryTimeout: '2s' },
      },
    ]);
    const dr = await get<Obj>(`/apis/networking.istio.io/v1alpha3/namespaces/${name}/destinationrules/web`);
    expect(dr.spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
    // Gateway API defaults, as upstream's schema applies them.
    const route = await get<Obj>(`/apis/gateway.networking.k8s.io/v1/namespaces/${name}/httproutes/web`);
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { kind: 'Service', name: 'web-stable', port: 80, weight: 90 },
          { kind: 'Service', name: 'web-canary', port: 80, weight: 1 },
        ],
      },
    ]);
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway' }]);
  });

  it('keeps empty strings, zeros and false (the Go >= 1.18 zero-value validation fix in the build)', async () => {
    const { name, kubeConfig, kubeconfigPath } = ns.current;
    await installCrds(kubeConfig, ['gatewayApi']);
    // A GAMMA-style route: parentRef to a Service in the core group, written as group "".
    await kubectl(kubeconfigPath, ['apply', '-f', '-'], {
      input: `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: mesh, namespace: ${name} }
spec:
  parentRefs: [{ group: "", kind: Service, name: web }]
  rules:
    - backendRefs:
        - { group: "", name: web-stable, port: 80, weight: 0 }
`,
    });
    const route = await kubeRequest<Obj>(kubeConfig, 'GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${name}/httproutes/mesh`);
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'web' }]);
    expect((route.spec.rules as Array<{ backendRefs: unknown[] }>)[0]!.backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'web-stable', port: 80, weight: 0 },
    ]);
  });

  it('rejects objects that break the schemas', async () => {
    const { name, kubeConfig } = ns.current;
    await installCrds(kubeConfig, ['smi', 'gatewayApi']);
    const create = (path: string, body: unknown) => kubeRequest(kubeConfig, 'POST', path, body);
    const invalid = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KubeHttpError);
      expect((error as KubeHttpError).status).toBe(422);
      return (error as KubeHttpError).message;
    };
    expect(
      await invalid(
        create(`/apis/split.smi-spec.io/v1alpha2/namespaces/${name}/trafficsplits`, {
          apiVersion: 'split.smi-spec.io/v1alpha2',
          kind: 'TrafficSplit',
          metadata: { name: 'no-backends' },
          spec: { service: 'web' },
        }),
      ),
    ).toContain('spec.backends');
    expect(
      await invalid(
        create(`/apis/gateway.networking.k8s.io/v1/namespaces/${name}/httproutes`, {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'negative' },
          spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: -1 }] }] },
        }),
      ),
    ).toContain('weight');
  });
});
