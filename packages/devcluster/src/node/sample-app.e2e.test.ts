import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../cluster/kubectl.js';
import { devcluster, useTestNamespace } from '../vitest/index.js';
import {
  apply,
  eventually,
  isReady,
  jsonClient,
  listPods,
  sampleAppDeployment,
  sampleAppService,
  waitForReadyReplicaSet,
} from './e2e-helpers.js';
import { type KubeHttp } from './kube-http.js';
import { readPodPorts } from './state-files.js';

interface Endpoints {
  subsets?: { addresses?: { ip: string; targetRef?: { name: string } }[]; notReadyAddresses?: { targetRef?: { name: string } }[] }[];
}

async function getRoot(port: number): Promise<{ status: number; body: { version?: string; pod?: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as { version?: string; pod?: string } };
}

describe('the simulated node', () => {
  const ns = useTestNamespace({ prefix: 'node' });
  let http: KubeHttp;
  beforeAll(async () => {
    http = await jsonClient(devcluster().kubeconfigPath);
  });
  afterAll(() => http.close());

  it('runs a 3-replica sample-app v1 Deployment as real processes: 3 ready pods, all in the Endpoints', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'sample-app', image: 'ferry/sample-app:v1', replicas: 3 }) + '---\n' + sampleAppService());
    await waitForReadyReplicaSet(http, name, 'sample-app', 3);

    const pods = await listPods(http, name);
    expect(pods).toHaveLength(3);
    const endpoints = await eventually('3 endpoint addresses', async () => {
      const ep = await http.get<Endpoints>(`/api/v1/namespaces/${name}/endpoints/sample-app`);
      return ep.subsets?.[0]?.addresses?.length === 3 ? ep : undefined;
    });
    const addresses = endpoints.subsets![0]!.addresses!;
    expect(addresses.map((a) => a.targetRef?.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    for (const address of addresses) expect(address.ip).toMatch(/^10\.2[0-4]\d\.\d+\.\d+$/);

    // Each pod is a real process, reachable on the loopback port the node published for it.
    const published = readPodPorts(cluster.dir).pods;
    for (const pod of pods) {
      const entry = published[`${name}/${pod.metadata.name}`];
      expect(entry?.ready).toBe(true);
      const { status, body } = await getRoot(entry!.ports['8080']!);
      expect(status).toBe(200);
      expect(body).toMatchObject({ version: 'v1', pod: pod.metadata.name });
    }
  });

  it('replaces a deleted pod, stops its process, and the replacement becomes ready', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'sample-app', image: 'ferry/sample-app:v2', replicas: 2 }));
    await waitForReadyReplicaSet(http, name, 'sample-app', 2);
    const [victim] = await listPods(http, name);
    const oldPort = readPodPorts(cluster.dir).pods[`${name}/${victim!.metadata.name}`]!.ports['8080']!;
    expect((await getRoot(oldPort)).status).toBe(200);

    await kubectl(kubeconfigPath, ['-n', name, 'delete', 'pod', victim!.metadata.name, '--wait=true', '--timeout=30s']);
    const replacement = await eventually('a ready replacement pod', async () => {
      const pods = await listPods(http, name);
      const fresh = pods.filter((p) => p.metadata.name !== victim!.metadata.name);
      return pods.length === 2 && fresh.length === 2 && fresh.every(isReady) ? fresh : undefined;
    });
    expect(replacement.map((p) => p.metadata.name)).not.toContain(victim!.metadata.name);
    // The deleted pod's process is gone: its port refuses connections.
    await expect(getRoot(oldPort)).rejects.toThrow();
  });

  it('keeps a never-ready image running but unready, and out of the ready Endpoints', async () => {
    const { name, kubeconfigPath } = ns.current;
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'sample-app', image: 'ferry/sample-app:never-ready', replicas: 2 }) + '---\n' + sampleAppService());
    await eventually('2 running pods', async () => {
      const pods = await listPods(http, name);
      return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running') ? pods : undefined;
    });
    // Several readiness periods (2 s each) pass; the probe keeps failing.
    await sleep(8_000);
    const pods = await listPods(http, name);
    expect(pods.map(isReady)).toEqual([false, false]);
    const ep = await http.get<Endpoints>(`/api/v1/namespaces/${name}/endpoints/sample-app`);
    expect(ep.subsets?.flatMap((s) => s.addresses ?? []) ?? []).toHaveLength(0);
    expect(ep.subsets?.flatMap((s) => s.notReadyAddresses ?? [])).toHaveLength(2);
  });

  it('restarts a crashing container and reports CrashLoopBackOff', async () => {
    const { name, kubeconfigPath } = ns.current;
    await kubectl(kubeconfigPath, ['-n', name, 'run', 'crasher', '--image=busybox:1.36', '--command', '--', 'sh', '-c', 'exit 3']);
    const status = await eventually(
      'CrashLoopBackOff',
      async () => {
        const [pod] = await listPods(http, name);
        const container = pod?.status?.containerStatuses?.[0];
        return container?.state.waiting?.reason === 'CrashLoopBackOff' ? container : undefined;
      },
      30_000,
    );
    expect(status.restartCount).toBeGreaterThanOrEqual(1);
    expect(status.lastState.terminated?.exitCode).toBe(3);
  });

  it('finalizes terminating pods so a scale-down completes', async () => {
    const { name, kubeconfigPath } = ns.current;
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'sample-app', image: 'ferry/sample-app:v1', replicas: 4 }));
    await waitForReadyReplicaSet(http, name, 'sample-app', 4);
    await kubectl(kubeconfigPath, ['-n', name, 'scale', 'deployment/sample-app', '--replicas=1']);
    await eventually('one pod left', async () => ((await listPods(http, name)).length === 1 ? true : undefined), 30_000);
    const rollout = await kubectl(kubeconfigPath, ['-n', name, 'rollout', 'status', 'deployment/sample-app', '--timeout=60s']);
    expect(rollout.stdout).toContain('successfully rolled out');
  });
});
