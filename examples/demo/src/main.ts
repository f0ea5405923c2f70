#!/usr/bin/env node
/**
 * The README's demo: a Ferry hub and a Remote Network Agent run real canaries of the sample
 * app, judged on Prometheus, while a traffic generator sends requests through the Service the
 * way kube-proxy would.
 *
 *   round 1  v1        first deployment: no stable version yet, straight to 100%
 *   round 2  v1 → v2   canary 25% → analysis (error rate passes) → 50% → pause → 100%
 *   round 3  v2 → v3   canary 25% → analysis: 30% of v3's requests fail, automatic rollback
 *
 * The hub (fresh each run, in .ferry/demo/hub) has no credentials for the cluster: an agent
 * holding a ServiceAccount token of the cluster dials its Agent Hub, registers the cluster as
 * target `demo-cluster`, and every Kubernetes call of the deployments goes through it. The
 * demo itself is a client of the hub's REST API (start, status, server-sent events) and shows
 * the CLI's live view. The dev cluster keeps running afterwards so the next run starts in
 * seconds (stop it with `npx ferry-devcluster stop --name demo`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { LiveView, watchDeployment, type LiveSource, type PodsByVersion } from '@ferry/cli';
import type { ClusterClientV1, DeploymentStatus } from '@ferry/core';
import { startCluster, startTraffic, type RunningTraffic } from '@ferry/devcluster';
import { kubeconfigConnector } from '@ferry/integrations/kubernetes';
import { parseDemoArgs, USAGE } from './args.js';
import { startDemoHub, type DemoHub } from './demo-hub.js';
import { freshNamespace } from './namespace.js';
import { roundRequest } from './round-files.js';
import { agentServiceAccount } from './service-account.js';
import { renderSummary, type RoundResult } from './summary.js';
import { TrafficWatch } from './traffic-watch.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORK_DIR = join(ROOT, '.ferry', 'demo');
const CLUSTER = 'demo';
/** The agent's identifier: the target it registers, the deploy file's `account`. */
const ACCOUNT = 'demo-cluster';
const NAMESPACE = 'ferry-demo';

interface Round {
  version: string;
  title: string;
  expect: DeploymentStatus;
}

const ROUNDS: Round[] = [
  { version: 'v1', title: 'first deployment of v1', expect: 'SUCCEEDED' },
  { version: 'v2', title: 'canary v1 → v2', expect: 'SUCCEEDED' },
  { version: 'v3', title: 'canary v2 → v3', expect: 'FAILED' },
];

const say = (text: string) => process.stdout.write(`${text}\n`);
const done = (text: string) => say(`${pc.green('✔')} ${text}`);

/** A cluster the demo deploys to: its admin access (for set-up and the pods view) and its Prometheus. */
interface DemoCluster {
  admin: ClusterClientV1;
  adminKubeconfigPath: string | undefined;
  adminContext: string;
  prometheusUrl: string;
  /** Only on the dev cluster: the traffic generator needs its node's pod table. */
  traffic?: () => Promise<RunningTraffic>;
}

async function main(argv: string[]): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    say(USAGE);
    return 0;
  }
  const interactive = process.stdout.isTTY === true;
  say(pc.bold('Ferry demo: canaries through a hub and a Remote Network Agent'));
  const cluster = await openCluster(args.kubeContext, args.prometheusUrl);
  await freshNamespace(cluster.admin, NAMESPACE);
  done(`namespace ${NAMESPACE} is fresh`);
  mkdirSync(WORK_DIR, { recursive: true });
  const agentCredentials = await agentServiceAccount({
    admin: cluster.admin,
    adminKubeconfigPath: cluster.adminKubeconfigPath,
    adminContext: cluster.adminContext,
    namespace: NAMESPACE,
    name: 'ferry-agent',
    contextName: ACCOUNT,
    writeTo: join(WORK_DIR, 'agent-kubeconfig'),
  });
  done(`ServiceAccount ${NAMESPACE}/ferry-agent (ClusterRole edit) and its token for the agent`);

  const demo = await startDemoHub({
    dataDir: join(WORK_DIR, 'hub'),
    account: ACCOUNT,
    agentKubeconfigPath: agentCredentials.kubeconfigPath,
    prometheusUrl: cluster.prometheusUrl,
    say: done,
  });
  let traffic: RunningTraffic | undefined;
  const stop = async () => {
    await traffic?.stop();
    await demo.close();
  };
  const interrupted = () => {
    say(pc.yellow('\ninterrupted: stopping the agent, the hub and the traffic'));
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const results: RoundResult[] = [];
  try {
    for (const [index, round] of ROUNDS.entries()) {
      say(`\n${pc.bold(`Round ${index + 1}: ${round.title}`)}`);
      results.push(await runRound(demo, cluster, index + 1, round, traffic, interactive));
      // Traffic starts once a version serves, so every later round is watched for failures.
      if (!traffic && cluster.traffic) traffic = await cluster.traffic();
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stop();
  }
  say(renderSummary(results));
  // The same, for tools (the demo's e2e test reads it).
  writeFileSync(join(WORK_DIR, 'summary.json'), `${JSON.stringify({ account: ACCOUNT, results }, null, 2)}\n`);
  if (!args.kubeContext) say(pc.dim(`The dev cluster keeps running for the next run; stop it with: npx ferry-devcluster stop --name ${CLUSTER}`));
  return results.every((r) => r.status === r.expected) ? 0 : 1;
}

/** One deployment: started through the REST API, followed over SSE in the CLI's live view. */
async function runRound(demo: DemoHub, cluster: DemoCluster, number: number, round: Round, traffic: RunningTraffic | undefined, interactive: boolean): Promise<RoundResult> {
  const started = Date.now();
  const request = roundRequest({ root: ROOT, version: round.version, round: number, account: ACCOUNT, namespace: NAMESPACE });
  const { id, link } = await demo.api.json<{ id: string; link: string }>('POST', 'api/v1/deployments', request);
  say(pc.dim(`  deployment ${id}  ${link}`));

  // On a terminal the live view redraws in place, so traffic lines wait for its last frame.
  const pending: string[] = [];
  const watch = new TrafficWatch(traffic, interactive ? (line) => pending.push(line) : say);
  const hubSource = demo.api.liveSource();
  const source: LiveSource = {
    status: async (deploymentId) => {
      const view = await hubSource.status(deploymentId);
      watch.plan(view);
      return view;
    },
    follow: (deploymentId, afterSeq, onEvent, signal) =>
      hubSource.follow(deploymentId, afterSeq, (event) => {
        watch.event(event);
        onEvent(event);
      }, signal),
    pods: (environment, application) => podsByVersion(cluster.admin, environment.namespace, application),
  };
  const view = new LiveView({ write: (text) => process.stdout.write(text), tty: interactive, color: pc.isColorSupported });
  const final = await watchDeployment({ backend: source, id, view });
  pending.forEach((line) => say(line));
  const environment = final.environments[0];
  const reason = environment?.reason ?? final.reason ?? undefined;
  return {
    round: number,
    title: round.title,
    version: round.version,
    expected: round.expect,
    status: final.status,
    targetStatus: environment?.status ?? 'UNKNOWN',
    ...(reason ? { reason } : {}),
    seconds: (Date.now() - started) / 1000,
    ...watch.report(),
  };
}

/** The dev cluster `demo` (started or reused, with Prometheus), or a context of the user's kubeconfig. */
async function openCluster(kubeContext: string | undefined, prometheusUrl: string | undefined): Promise<DemoCluster> {
  if (kubeContext) {
    const connector = kubeconfigConnector({ contexts: [kubeContext] });
    if (!connector.handles(kubeContext)) throw new Error(`your kubeconfig has no context "${kubeContext}"`);
    done(`using kube context ${kubeContext}`);
    return {
      admin: await connector.client({ account: kubeContext, namespace: NAMESPACE }),
      adminKubeconfigPath: undefined,
      adminContext: kubeContext,
      prometheusUrl: prometheusUrl ?? '',
    };
  }
  const cluster = await startCluster({ name: CLUSTER, node: true, prometheus: true, log: (m) => say(pc.dim(`  ${m}`)) });
  done(`dev cluster ${CLUSTER} ${cluster.reused ? 'already running' : 'started'} at ${cluster.server}`);
  const context = `ferry-${CLUSTER}`;
  const connector = kubeconfigConnector({ kubeconfigPath: cluster.kubeconfigPath, contexts: [context] });
  if (!connector.handles(context)) throw new Error(`the dev cluster's kubeconfig has no context "${context}" (${cluster.kubeconfigPath})`);
  const url = prometheusUrl ?? cluster.prometheusUrl;
  if (!url) throw new Error('the dev cluster started without Prometheus');
  return {
    admin: await connector.client({ account: context, namespace: NAMESPACE }),
    adminKubeconfigPath: cluster.kubeconfigPath,
    adminContext: context,
    prometheusUrl: url,
    traffic: () =>
      startTraffic({
        kubeconfigPath: cluster.kubeconfigPath,
        namespace: NAMESPACE,
        service: 'sample-app',
        ratePerSecond: 40,
        stateDir: cluster.dir,
        // Pods scaled down keep serving for 3 s (the sample app's drain): re-reading the
        // Endpoints well within that keeps requests off them before they close.
        refreshMs: 250,
        maxDurationMs: 10 * 60_000,
      }),
  };
}

/** Ready/desired pods per version, from the ReplicaSets Ferry manages (the demo's own view, with admin access). */
async function podsByVersion(client: ClusterClientV1, namespace: string, application: string): Promise<PodsByVersion[]> {
  const sets = await client.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace });
  return sets
    .filter((rs) => !application || (rs.metadata.labels ?? {}).app === undefined || (rs.metadata.labels ?? {}).app === application)
    .map((rs) => {
      const spec = rs.spec as { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
      const status = (rs.status ?? {}) as { readyReplicas?: number };
      const image = spec.template?.spec?.containers?.[0]?.image ?? '?';
      return { version: image.split(':').pop() ?? image, ready: status.readyReplicas ?? 0, desired: spec.replicas ?? 0 };
    })
    .filter((p) => p.desired > 0 || p.ready > 0);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${pc.red('demo failed:')} ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
