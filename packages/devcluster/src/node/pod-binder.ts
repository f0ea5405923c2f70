import { isStatus, type KubeHttp } from './kube-http.js';
import { podKey, podPath, type Pod } from './kube-types.js';

/**
 * Stands in for kube-scheduler: binds every pending, unscheduled pod to this node through the
 * Binding subresource, a few at a time, retrying failures a bounded number of times.
 */
export class PodBinder {
  private readonly queue = new Map<string, Pod>();
  private readonly inFlight = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private stopped = false;
  bound = 0;

  constructor(
    private readonly http: KubeHttp,
    private readonly nodeName: string,
    private readonly concurrency: number,
    private readonly log: (msg: string, fields?: Record<string, unknown>) => void,
  ) {}

  /** Pods this node should schedule: not yet bound, not being deleted, for the default scheduler. */
  static wants(pod: Pod): boolean {
    const scheduler = pod.spec.schedulerName ?? 'default-scheduler';
    return !pod.spec.nodeName && !pod.metadata.deletionTimestamp && scheduler === 'default-scheduler';
  }

  enqueue(pod: Pod): void {
    const uid = pod.metadata.uid ?? podKey(pod);
    if (this.stopped || this.inFlight.has(uid)) return;
    this.queue.set(uid, pod);
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  private pump(): void {
    for (const [uid, pod] of this.queue) {
      if (this.inFlight.size >= this.concurrency) return;
      this.queue.delete(uid);
      this.inFlight.add(uid);
      void this.bind(uid, pod).finally(() => {
        this.inFlight.delete(uid);
        this.pump();
      });
    }
  }

  private async bind(uid: string, pod: Pod): Promise<void> {
    const { namespace = 'default', name } = pod.metadata;
    try {
      await this.http.post(podPath(namespace, name, '/binding'), {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName },
      });
      this.bound++;
      this.attempts.delete(uid);
    } catch (error) {
      // 409: already bound (e.g. a retry whose first attempt succeeded); 404: pod deleted meanwhile.
      if (isStatus(error, 409) || isStatus(error, 404)) return;
      const attempt = (this.attempts.get(uid) ?? 0) + 1;
      this.attempts.set(uid, attempt);
      this.log('binding failed', { pod: podKey(pod), attempt, error: String(error) });
      if (attempt < 10) setTimeout(() => this.enqueue(pod), 500 * attempt).unref();
    }
  }
}
