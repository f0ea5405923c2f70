import { isStatus, type KubeHttp } from './kube-http.js';
import { podPath } from './kube-types.js';

export interface StatusSource {
  namespace: string;
  name: string;
  uid: string;
  status(): Record<string, unknown>;
}

/**
 * Writes pod statuses to the API with bounded concurrency. Marking a pod dirty many times before
 * its write starts costs one request (the status is computed when sent), and a write identical to
 * the last one sent is skipped, so hundreds of pods changing at once stay cheap.
 */
export class StatusWriter {
  private readonly dirty = new Map<string, StatusSource>();
  private readonly inFlight = new Set<string>();
  private readonly lastSent = new Map<string, string>();
  private stopped = false;
  writes = 0;

  constructor(
    private readonly http: KubeHttp,
    private readonly concurrency: number,
    private readonly log: (msg: string, fields?: Record<string, unknown>) => void,
  ) {}

  mark(key: string, source: StatusSource): void {
    if (this.stopped) return;
    this.dirty.set(key, source);
    this.pump();
  }

  forget(key: string): void {
    this.dirty.delete(key);
    this.lastSent.delete(key);
  }

  stop(): void {
    this.stopped = true;
    this.dirty.clear();
  }

  private pump(): void {
    for (const [key, source] of this.dirty) {
      if (this.inFlight.size >= this.concurrency) return;
      if (this.inFlight.has(key)) continue;
      this.dirty.delete(key);
      this.inFlight.add(key);
      void this.write(key, source).finally(() => {
        this.inFlight.delete(key);
        this.pump();
      });
    }
  }

  private async write(key: string, source: StatusSource): Promise<void> {
    const status = source.status();
    const body = JSON.stringify(status);
    if (this.lastSent.get(key) === body) return;
    try {
      // A merge patch replaces lists whole, which is what we want: we always send every condition
      // and container status. The uid makes the write fail instead of touching a same-named new pod.
      await this.http.patch(podPath(source.namespace, source.name, '/status'), { metadata: { uid: source.uid }, status });
      this.writes++;
      this.lastSent.set(key, body);
    } catch (error) {
      // 404: the pod is gone; 409/422: a new pod took the name (uid precondition). Nothing to retry.
      if (isStatus(error, 404)) return;
      if (isStatus(error, 409) || isStatus(error, 422)) {
        this.log('pod status write rejected', { pod: key, error: String(error) });
        return;
      }
      this.log('pod status write failed; retrying', { pod: key, error: String(error) });
      setTimeout(() => {
        if (!this.dirty.has(key)) this.mark(key, source);
      }, 1_000).unref();
    }
  }
}
