/**
 * Rollback latency on a real dev cluster (kube-apiserver + simulated node), with the SMI traffic
 * provider and a canary of the sample app at 50%.
 *
 *   npm run bench:rollback -w @ferry/strategies            (5 rounds)
 *   npm run bench:rollback -w @ferry/strategies -- 10      (10 rounds)
 *
 * Each round starts a v1 → v2 canary (`setWeight: 50`, then a pause until approved), waits for
 * the TrafficSplit at stable=50/canary=50, then calls `engine.rollback(...)` and measures, from
 * that call, with watches on the API server (each change timed as it arrives, no poll interval):
 *   (a) traffic: the TrafficSplit sends everything to stable (canary weight 0, or the split Ferry
 *       created is already removed, which also leaves all traffic on the stable pods);
 *   (b1) the canary ReplicaSet at spec.replicas 0 (or already deleted);
 *   (b2) its pods gone: status.replicas 0 while it exists, and no pod with its hash label left.
 * Baseline: one server-side apply of a TrafficSplit through the same kubeconfig connector.
 * Uses (and leaves running, for the next run) the dev cluster `ferry-bench-rollback`; stop it
 * with `npx ferry-devcluster stop --name ferry-bench-rollback`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createEngine, definePlugin, parseDeployFile, type ClusterClientV1, type ClusterConnectorV1, type EngineEventV1, type FerryEngine } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { installCrds, startCluster } from '@ferry/devcluster';
import { kubeconfigConnector } from '@ferry/integrations/kubernetes';
import { smi } from '@ferry/integrations/traffic';
import { HASH_LABEL } from '@ferry/strategies';
import { KubeWatcher, type WatchEvent } from './kube-watch.js';
import { canary } from '@ferry/strategies';
import { sampleAppFile } from '../src/delivery/support/deploy-file.js';

const ROUNDS = Math.max(1, Number(process.argv[2] ?? 5) || 5);
const CLUSTER = 'ferry-bench-rollback';
const NAMESPACE = `bench-rollback-${Date.now().toString(36)}`;
const SPLIT = { apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'TrafficSplit' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const say = (text: string) => process.stdout.write(`${text}\n`);

interface Round {
  rollbackCallMs: number;
  trafficMs: number;
  specZeroMs: number;
  podsGoneMs: number;
  baselineApplyMs: number;
}

async function main(): Promise<void> {
  const cluster = await startCluster({ name: CLUSTER, node: true, prometheus: false, log: (m) => say(`  ${m}`) });
  say(`dev cluster ${CLUSTER} ${cluster.reused ? 'reused' : 'started'} at ${cluster.server}`);
  await installCrds(cluster.kubeconfigPath, ['smi']);
  const connector = kubeconfigConnector({ kubeconfigPath: cluster.kubeconfigPath });
  const context = currentContext(readFileSync(cluster.kubeconfigPath, 'utf8'));
  if (!context) throw new Error(`no current-context in ${cluster.kubeconfigPath}`);
  const target = { account: context, namespace: NAMESPACE };
  const client = await connector.client(target);
  // Watches on their own connection: each change is timed as it arrives (no polling interval).
  const watcher = new KubeWatcher(cluster.kubeconfigPath);
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, { fieldManager: 'bench' });

  const engine = createEngine({
    store: new MemoryStore(),
    plugins: [canary({ pollIntervalMs: 250 }), smi(), definePlugin({ id: 'bench.cluster', register: (ctx) => ctx.clusterConnectors.add(traced(connector)) })],
  });
  const file = (image: string) =>
    parseDeployFile(
      sampleAppFile({
        context,
        namespace: NAMESPACE,
        image,
        replicas: 4,
        strategy: `    canary:\n      steps:\n        - setWeight: 50\n        - pause: {untilApproved: true}`,
        extra: 'trafficManagement:\n  - smi:\n      - rootServiceName: sample-app',
      }),
    );
  const rounds: Round[] = [];
  try {
    const first = await engine.start(await file('ferry/sample-app:v1'));
    await untilDone(engine, first.id, 'SUCCEEDED');
    for (let i = 1; i <= ROUNDS; i++) {
      rounds.push(await round(engine, client, watcher, () => file('ferry/sample-app:v2')));
      const r = rounds.at(-1)!;
      say(`round ${i}: traffic→stable ${r.trafficMs.toFixed(0)} ms, canary spec 0 ${r.specZeroMs.toFixed(0)} ms, canary pods gone ${r.podsGoneMs.toFixed(0)} ms, rollback() call ${r.rollbackCallMs.toFixed(0)} ms, baseline SSA ${r.baselineApplyMs.toFixed(1)} ms`);
    }
  } finally {
    await engine.close();
    watcher.close();
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: NAMESPACE }).catch(() => undefined);
  }
  report(rounds);
}

/** With BENCH_TRACE=1, the engine's cluster calls after each rollback call are printed with their times. */
const trace: { t0?: number; calls: string[] } = { calls: [] };
function traced(connector: ClusterConnectorV1): ClusterConnectorV1 {
  if (!process.env.BENCH_TRACE) return connector;
  return {
    ...connector,
    handles: (account) => connector.handles(account),
    async client(target, options) {
      const inner = await connector.client(target, options);
      const wrap =
        <A extends unknown[], R>(verb: string, call: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          const start = performance.now();
          try {
            return await call(...args);
          } finally {
            const ref = args[0] as { kind?: string; name?: string; metadata?: { name?: string } };
            if (trace.t0 !== undefined) trace.calls.push(`${(start - trace.t0).toFixed(0).padStart(5)} → ${(performance.now() - trace.t0).toFixed(0).padStart(5)} ms  ${verb} ${ref.kind} ${ref.name ?? ref.metadata?.name ?? ''}`);
          }
        };
      return {
        ...inner,
        apply: wrap('apply', inner.apply.bind(inner)),
        get: wrap('get', inner.get.bind(inner)),
        list: wrap('list', inner.list.bind(inner)),
        patch: wrap('patch', inner.patch.bind(inner)),
        delete: wrap('delete', inner.delete.bind(inner)),
      };
    },
  };
}

/** The kubeconfig's current context (the dev cluster writes it as JSON, which is also YAML). */
function currentContext(kubeconfig: string): string | undefined {
  try {
    return (JSON.parse(kubeconfig) as { 'current-context'?: string })['current-context'];
  } catch {
    return /^current-context:\s*"?([^"\s]+)"?/m.exec(kubeconfig)?.[1];
  }
}

async function round(engine: FerryEngine, client: ClusterClientV1, watcher: KubeWatcher, file: () => ReturnType<typeof parseDeployFile>): Promise<Round> {
  let asked = false;
  const onApproval = (_event: EngineEventV1) => (asked = true);
  engine.events.on('approval.requested', onApproval);
  const deployment = await engine.start(await file());
  const deadline = Date.now() + 180_000;
  while (!asked) {
    if (Date.now() > deadline) throw new Error('the canary never reached its approval pause');
    await sleep(50);
  }
  engine.events.off('approval.requested', onApproval);

  const ns = encodeURIComponent(NAMESPACE);
  const splitPath = `/apis/split.smi-spec.io/v1alpha2/namespaces/${ns}/trafficsplits?fieldSelector=metadata.name%3Dsample-app`;
  const splits = await watcher.list<Obj>(splitPath);
  const backends = JSON.stringify(splits.items[0]?.spec?.backends);
  if (!backends?.includes('"weight":50')) throw new Error(`the split is not at 50: ${backends}`);
  const all = await watcher.list<Obj>(`/apis/apps/v1/namespaces/${ns}/replicasets`);
  const canaryRs = all.items.find((rs) => JSON.stringify(rs.spec).includes('ferry/sample-app:v2'));
  if (!canaryRs) throw new Error('no canary ReplicaSet');
  const rsPath = `/apis/apps/v1/namespaces/${ns}/replicasets?fieldSelector=metadata.name%3D${encodeURIComponent(canaryRs.metadata.name)}`;
  const podsPath = `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`${HASH_LABEL}=${canaryRs.metadata.labels?.[HASH_LABEL] ?? ''}`)}`;
  const [rsNow, podsNow] = await Promise.all([watcher.list<Obj>(rsPath), watcher.list<Obj>(podsPath)]);
  const pods = new Set(podsNow.items.map((p) => p.metadata.name));
  if (pods.size === 0) throw new Error('the canary has no pods');

  let t0 = Number.NaN;
  const since = (event: WatchEvent) => event.at - t0;
  const toStable = (o: Obj) => ((o.spec?.backends ?? []) as Array<{ service: string; weight: number }>).every((x) => (x.service === 'sample-app-stable' ? x.weight === 100 : x.weight === 0));
  // The watches are opened first (from the resourceVersions read above, so nothing is missed),
  // and given time to connect; then the clock starts with the rollback call.
  const watches = Promise.all([
    watcher.watch(splitPath, splits.metadata.resourceVersion, (e) => e.type === 'DELETED' || toStable(e.object)).then(since),
    watcher.watch(rsPath, rsNow.metadata.resourceVersion, (e) => e.type === 'DELETED' || e.object.spec?.replicas === 0).then(since),
    watcher.watch(rsPath, rsNow.metadata.resourceVersion, (e) => e.type === 'DELETED' || (e.object.status?.replicas ?? 0) === 0).then(since),
    watcher
      .watch(podsPath, podsNow.metadata.resourceVersion, (e) => {
        if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
        else if (e.type === 'ADDED') pods.add(e.object.metadata.name);
        return pods.size === 0;
      })
      .then(since),
  ]);
  await sleep(500);
  t0 = performance.now();
  trace.t0 = t0;
  trace.calls = [];
  const rollbackCallMs = await engine.rollback(deployment.id, { by: 'bench' }).then(() => performance.now() - t0);
  const [trafficMs, specZeroMs, statusZeroMs, podsGoneMs] = await watches;
  if (process.env.BENCH_TRACE) say(`  engine cluster calls after rollback():\n    ${trace.calls.join('\n    ')}`);
  delete trace.t0;
  await untilDone(engine, deployment.id, 'FAILED', 'ROLLED_BACK');

  // Baseline: one server-side apply of a TrafficSplit through the same connector.
  const weight = 50 + (Math.floor(Math.random() * 40) - 20);
  const b0 = performance.now();
  await client.apply(
    { ...SPLIT, metadata: { name: 'bench-baseline', namespace: NAMESPACE }, spec: { service: 'sample-app', backends: [{ service: 'sample-app-stable', weight: 100 - weight }, { service: 'sample-app-canary', weight }] } },
    { fieldManager: 'bench', force: true },
  );
  const baselineApplyMs = performance.now() - b0;
  return { rollbackCallMs, trafficMs, specZeroMs, podsGoneMs: Math.max(statusZeroMs, podsGoneMs), baselineApplyMs };
}

type Obj = WatchEvent['object'] & { metadata: { labels?: Record<string, string> } };

async function untilDone(engine: FerryEngine, id: string, status: string, targetStatus?: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { state } = await engine.get(id);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'].includes(state.status)) {
      if (state.status !== status || (targetStatus && state.targets.dev?.status !== targetStatus)) {
        throw new Error(`deployment ${id} ended ${state.status}/${state.targets.dev?.status}, expected ${status}${targetStatus ? `/${targetStatus}` : ''}: ${state.reason ?? ''}`);
      }
      return;
    }
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${state.status}`);
    await sleep(100);
  }
}

function report(rounds: Round[]): void {
  const stat = (pick: (r: Round) => number) => {
    const v = rounds.map(pick).sort((a, b) => a - b);
    const mid = v.length / 2;
    const median = v.length % 2 ? v[Math.floor(mid)]! : (v[mid - 1]! + v[mid]!) / 2;
    return `median ${median.toFixed(1).padStart(7)} ms   max ${v.at(-1)!.toFixed(1).padStart(7)} ms`;
  };
  say(`\nrollback latency from engine.rollback(), ${rounds.length} rounds (SMI, canary at 50%, 4 replicas):`);
  say(`  (a)  TrafficSplit all to stable     ${stat((r) => r.trafficMs)}   goal < 500 ms`);
  say(`  (b1) canary spec.replicas = 0        ${stat((r) => r.specZeroMs)}`);
  say(`  (b2) canary pods gone (status 0)     ${stat((r) => r.podsGoneMs)}`);
  say(`  engine.rollback() call returned      ${stat((r) => r.rollbackCallMs)}`);
  say(`  baseline: one SSA of a TrafficSplit  ${stat((r) => r.baselineApplyMs)}`);
  const traffic = rounds.map((r) => r.trafficMs).sort((a, b) => a - b);
  const base = rounds.map((r) => r.baselineApplyMs).sort((a, b) => a - b);
  say(`  (a) median / baseline median = ${(traffic[Math.floor(traffic.length / 2)]! / base[Math.floor(base.length / 2)]!).toFixed(1)}×`);
}

main().catch((error: unknown) => {
  process.stderr.write(`rollback bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
