import { userInfo } from 'node:os';
import { createEngine, FerryNotFoundError, isTerminalDeploymentStatus, type ClusterConnectorV1, type FerryEngine, type StoreV1 } from '@ferry/core';
import { createWebhookCallbackServer, type WebhookCallbackServer } from '@ferry/integrations/webhooks';
import { kubeconfigConnector } from '@ferry/integrations/kubernetes';
import { createSqliteStore } from '@ferry/store-sql';
import { loadForLocalRun } from './deploy-file-input.js';
import { localPlugins } from './local-plugins.js';
import { readPods } from './pods.js';
import { deploymentView, eventView, summaryView } from './status-view.js';
import type { Backend, DeploymentAction, EnvironmentView, EventView, ListFilter, PodsByVersion, StartInput } from './types.js';

export interface LocalBackendOptions {
  statePath: string;
  kubeconfigPath?: string;
  env: NodeJS.ProcessEnv;
  /** How often followers read new events from the store (default 300 ms). */
  followIntervalMs?: number;
}

/** Short leases: when a `deploy start` process dies, the next ferry process takes over within seconds. */
const LEASE_TTL_MS = 10_000;
/** Decisions written by another shell are noticed within this long. */
const POLL_INTERVAL_MS = 500;

/**
 * Local mode: the engine runs in this process against kube contexts, state in a SQLite
 * file. Every ferry process opens the same file; the lease decides which one runs a
 * deployment, and an approval from another shell is a write the running engine picks up
 * on its next scan. Reads (status, list, events) go to the store without an engine.
 */
export async function openLocalBackend(options: LocalBackendOptions): Promise<Backend & { runEngine(): Promise<FerryEngine> }> {
  const store: StoreV1 & { destroy(): Promise<void> } = await createSqliteStore({ path: options.statePath });
  let engine: FerryEngine | undefined;
  let callbacks: WebhookCallbackServer | undefined;
  let connector: ClusterConnectorV1 | undefined;
  const by = safeUserName();

  async function runEngine(): Promise<FerryEngine> {
    if (engine) return engine;
    // Webhook callbacks come back to this process; the engine answers them.
    const holder: { engine?: FerryEngine } = {};
    callbacks = createWebhookCallbackServer({ engine: { callback: (id, input) => (holder.engine as FerryEngine).callback(id, input) }, host: '127.0.0.1', port: 0 });
    const callbackBaseUrl = await callbacks.listen();
    holder.engine = createEngine({
      store,
      plugins: localPlugins({ ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}), callbackBaseUrl, env: options.env }),
      leaseTtlMs: LEASE_TTL_MS,
      pollIntervalMs: POLL_INTERVAL_MS,
    });
    engine = holder.engine;
    return engine;
  }

  async function record(id: string) {
    const found = await store.get(id);
    if (!found) throw new FerryNotFoundError(`no deployment ${id} in ${options.statePath}`, { code: 'deployment_not_found' });
    return found;
  }

  return {
    mode: 'local',
    runEngine,
    async start(input: StartInput) {
      const file = await loadForLocalRun(input.file, input.targets);
      const started = await (await runEngine()).start(file, { context: input.context, by });
      return { id: started.id, link: null };
    },
    async status(id) {
      return deploymentView(await record(id));
    },
    async list(filter: ListFilter) {
      const statuses = filter.status ? (filter.status.split(',').map((s) => s.trim().toUpperCase()) as never[]) : undefined;
      const summaries = await store.list({
        ...(filter.application ? { application: filter.application } : {}),
        ...(statuses ? { status: statuses } : {}),
        limit: filter.target ? Math.max(filter.limit, 1000) : filter.limit,
      });
      const matching = filter.target ? summaries.filter((s) => filter.target! in s.state.targets) : summaries;
      return matching.slice(0, filter.limit).map(summaryView);
    },
    async follow(id: string, afterSeq: number, onEvent: (event: EventView) => void, signal: AbortSignal) {
      await record(id);
      let seq = afterSeq;
      while (!signal.aborted) {
        const events = await store.listEvents(id, { afterSeq: seq, limit: 500 });
        for (const event of events) {
          seq = event.seq;
          onEvent(eventView(event));
          if (event.type === 'deployment.completed') return;
        }
        if (events.length === 0) {
          const current = await record(id);
          // Completed with every event read (an older deployment the log ends for).
          if (isTerminalDeploymentStatus(current.state.status) && (await store.listEvents(id, { afterSeq: seq, limit: 1 })).length === 0) return;
          await sleep(options.followIntervalMs ?? 300, signal);
        }
      }
    },
    async act(id: string, action: DeploymentAction, input: { target?: string; comment?: string }) {
      const current = await record(id);
      const running = await runEngine();
      // Local mode has no identities: whoever can write the state file may answer any
      // approval, so the person acting holds the roles the approvals ask for.
      const roles = [...new Set(Object.values(current.state.targets).flatMap((t) => Object.values(t.steps).flatMap((st) => st.approval?.requiresRoles ?? [])))];
      const base = { by, roles, ...(input.comment !== undefined ? { comment: input.comment } : {}) };
      const target = input.target ?? '';
      switch (action) {
        case 'approve':
          return running.approve(id, { ...base, target });
        case 'reject':
          return running.reject(id, { ...base, target });
        case 'skip':
          return running.skip(id, { by, ...(input.comment !== undefined ? { comment: input.comment } : {}), target });
        case 'rollforward':
          return running.rollForward(id, { ...base, target });
        case 'rollback':
          return running.rollback(id, { ...base, ...(input.target ? { target: input.target } : {}) });
        case 'cancel':
          return running.cancel(id, { by, ...(input.comment !== undefined ? { comment: input.comment } : {}) });
      }
    },
    async redeploy(id) {
      await record(id);
      const started = await (await runEngine()).redeploy(id, { by });
      return { id: started.id, link: null };
    },
    pods(environment: EnvironmentView, application: string): Promise<PodsByVersion[]> {
      connector ??= kubeconfigConnector(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {});
      return readPods(connector, environment, application);
    },
    async close() {
      await engine?.close();
      await callbacks?.close();
      await store.destroy();
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
