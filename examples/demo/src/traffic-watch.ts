import pc from 'picocolors';
import type { DeploymentView, EventView } from '@ferry/cli';
import type { RunningTraffic, TrafficStats } from '@ferry/devcluster';

export interface ObservedSplit {
  weight: number;
  /** Share of requests per version, in percent. */
  byVersion: Record<string, number>;
  requests: number;
  failed: number;
}

export interface RoundTraffic {
  splits: ObservedSplit[];
  requests: number;
  failedRequests: number;
  /** Failed requests by HTTP status or network error (`ECONNREFUSED`, `timeout`...). */
  failuresByStatus: Record<string, number>;
  /**
   * Requests the dev cluster's generator could not send: a pod already in the Endpoints whose
   * loopback port the simulated node had not published yet. Not an answer of the app (a real
   * kube-proxy reaches the pod's IP), so shown apart from the failures.
   */
  unroutable: number;
}

/** The generator's status for an endpoint it has no local port for (see `unroutable`). */
const NO_LOCAL_PORT = 'no-local-port';

/**
 * What the requests through the Service saw while a deployment ran: after each `setWeight`
 * step, the split over the step that holds that weight (a pause or an analysis), printed as
 * a line beside the live view and kept for the summary.
 */
export class TrafficWatch {
  private readonly splits: ObservedSplit[] = [];
  private heldWeight: number | undefined;
  private readonly stepKinds = new Map<string, { kind: string; weight?: number }>();
  /** Every request of the round, across the windows the splits are measured over. */
  private requests = 0;
  private failedRequests = 0;
  private readonly failuresByStatus: Record<string, number> = {};
  private unroutable = 0;

  constructor(
    private readonly traffic: RunningTraffic | undefined,
    private readonly say: (text: string) => void,
  ) {
    traffic?.reset();
  }

  /** The plan's steps: kind and, for setWeight, the weight its title names. */
  plan(view: DeploymentView): void {
    for (const step of [...view.steps, ...view.environments.flatMap((e) => e.steps)]) {
      const weight = /(\d+(?:\.\d+)?)\s*%/.exec(step.title)?.[1];
      this.stepKinds.set(step.id, { kind: step.kind, ...(weight ? { weight: Number(weight) } : {}) });
    }
  }

  event(event: EventView): void {
    if (!this.traffic || !event.stepId) return;
    const step = this.stepKinds.get(event.stepId);
    if (!step) return;
    const holding = this.heldWeight !== undefined && step.kind !== 'setWeight';
    if (event.type === 'step.completed' && step.kind === 'setWeight') {
      this.heldWeight = typeof event.data.weight === 'number' ? event.data.weight : step.weight;
      this.window();
    } else if (event.type === 'step.started' && holding) {
      this.window();
    } else if ((event.type === 'step.completed' || event.type === 'step.failed') && holding) {
      this.record(this.heldWeight as number, this.window());
      this.heldWeight = undefined;
    }
  }

  /** Called once the deployment ended. */
  report(): RoundTraffic {
    this.window();
    return { splits: this.splits, requests: this.requests, failedRequests: this.failedRequests, failuresByStatus: this.failuresByStatus, unroutable: this.unroutable };
  }

  /** Ends the current counting window: its requests join the round's totals. */
  private window(): TrafficStats | undefined {
    const raw = this.traffic?.stats();
    this.traffic?.reset();
    if (!raw) return undefined;
    const unroutable = raw.byStatus[NO_LOCAL_PORT] ?? 0;
    const byVersion = { ...raw.byVersion };
    // The generator files an unsent request under version "unknown".
    if (unroutable > 0 && byVersion.unknown !== undefined) {
      byVersion.unknown -= unroutable;
      if (byVersion.unknown <= 0) delete byVersion.unknown;
    }
    const stats: TrafficStats = { ...raw, byVersion, total: raw.total - unroutable, failures: raw.failures - unroutable };
    this.unroutable += unroutable;
    this.requests += stats.total;
    this.failedRequests += stats.failures;
    for (const [status, n] of Object.entries(raw.byStatus)) {
      if (!/^2\d\d$/.test(status) && status !== NO_LOCAL_PORT) this.failuresByStatus[status] = (this.failuresByStatus[status] ?? 0) + n;
    }
    return stats;
  }

  /** The share of requests each version answered while the weight held. */
  private record(weight: number, stats: TrafficStats | undefined): void {
    // A split is news only between 0% and 100% (the final 100% holds for an instant).
    if (!stats || stats.total === 0 || weight <= 0 || weight >= 100) return;
    const byVersion = Object.fromEntries(Object.entries(stats.byVersion).map(([version, n]) => [version, (100 * n) / stats.total]));
    this.splits.push({ weight, byVersion, requests: stats.total, failed: stats.failures });
    const shares = Object.entries(byVersion)
      .map(([version, share]) => `${version} ${share.toFixed(1)}%`)
      .join('  ');
    this.say(`  ${pc.magenta('≈')} traffic at ${weight}%: ${shares}  ${pc.dim(`(${stats.total} requests, ${stats.failures} failed)`)}`);
  }
}
