import { isTerminalDeploymentStatus } from '@ferry/core';
import type { Backend, DeploymentView } from '../backend/types.js';
import type { LiveSource } from './engine-source.js';
import type { LiveView } from './live-view.js';

export interface WatchOptions {
  /** A Backend (local or hub mode), or `engineSource(engine)` for an engine in this process. */
  backend: LiveSource;
  id: string;
  view?: LiveView;
  signal?: AbortSignal;
  /** How often pods are read from the cluster when the backend can (default 2 s). */
  podsIntervalMs?: number;
}

/**
 * Follows a deployment to its end: every event goes to the view, the status payload is
 * re-read after each burst of events, pods are sampled while targets run. Resolves with
 * the final status payload.
 */
export async function watchDeployment(options: WatchOptions): Promise<DeploymentView> {
  const { backend, id, view } = options;
  let latest = await backend.status(id);
  view?.update(latest);
  if (isTerminalDeploymentStatus(latest.status) && !view) return latest;
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });

  let refreshing: Promise<void> | undefined;
  let again = false;
  const refresh = () => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = (async () => {
      do {
        again = false;
        latest = await backend.status(id);
        view?.update(latest);
      } while (again);
    })().finally(() => (refreshing = undefined));
  };
  const podsTimer = backend.pods && view ? startPods(backend as Required<Pick<Backend, 'pods'>>, () => latest, view, options.podsIntervalMs ?? 2000) : undefined;
  try {
    await backend.follow(id, 0, (event) => {
      view?.event(event);
      refresh();
    }, controller.signal);
    while (refreshing) await refreshing;
    latest = await backend.status(id);
    if (podsTimer) await podsTimer.sampleNow();
    view?.update(latest);
    return latest;
  } finally {
    podsTimer?.stop();
    options.signal?.removeEventListener('abort', abort);
    view?.finish();
  }
}

function startPods(backend: Required<Pick<Backend, 'pods'>>, current: () => DeploymentView, view: LiveView, intervalMs: number) {
  let stopped = false;
  const sampleNow = async () => {
    const deployment = current();
    for (const environment of deployment.environments) {
      if (environment.status === 'PENDING') continue;
      try {
        view.pods(environment.name, await backend.pods(environment, deployment.application));
      } catch {
        // A cluster that cannot be read shows no pods; the deployment itself reports errors.
      }
    }
  };
  let running = Promise.resolve();
  const timer = setInterval(() => {
    if (!stopped) running = running.then(sampleNow);
  }, intervalMs);
  timer.unref();
  return {
    sampleNow: () => (running = running.then(sampleNow)),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
