import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineEventV1, LoggerV1, NotifierV1 } from '../plugins/contracts.js';

export interface NotificationSettings {
  /** Deliveries tried per event and notifier. Default 3. */
  attempts: number;
  /** Wait before the 2nd attempt, doubled after each further failure. Default 1000 ms. */
  backoffMs: number;
  /** Per attempt. Default 10 s. */
  timeoutMs: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { attempts: 3, backoffMs: 1000, timeoutMs: 10_000 };

/**
 * Hands every emitted event to the notifiers that want it, off the deployment's path: a
 * slow or failing notifier never delays or fails a transition. Each notifier gets its
 * events in order (one chain per notifier), each with bounded retries; a delivery that
 * still fails is logged and dropped. Backoff uses real timers, not the engine's clock:
 * delivery is network I/O, and a manual clock in tests must not hold it.
 */
export class NotifierDispatch {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly notifiers: () => Iterable<NotifierV1>,
    private readonly logger: LoggerV1,
    private readonly settings: NotificationSettings,
    /** The engine's work tracker, so `idle()` covers deliveries in flight. */
    private readonly track: (work: Promise<void>) => void,
  ) {}

  dispatch(event: EngineEventV1): void {
    if (this.stop.signal.aborted) return;
    for (const notifier of this.notifiers()) {
      if (notifier.events && !notifier.events.includes(event.type)) continue;
      const previous = this.chains.get(notifier.name) ?? Promise.resolve();
      const next = previous.then(() => this.deliver(notifier, event));
      this.chains.set(notifier.name, next);
      this.track(
        next.finally(() => {
          if (this.chains.get(notifier.name) === next) this.chains.delete(notifier.name);
        }),
      );
    }
  }

  /** Abandons deliveries in flight and refuses new ones (engine shutdown). */
  close(): void {
    this.stop.abort();
  }

  private async deliver(notifier: NotifierV1, event: EngineEventV1): Promise<void> {
    const attempts = Math.max(1, this.settings.attempts);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.stop.signal.aborted) return;
      try {
        const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
        await notifier.notify(event, { signal });
        return;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        // Only the error's name, code and message: notifiers must keep secrets (webhook URLs,
        // tokens) out of their messages; request details are never logged here.
        const facts = { notifier: notifier.name, kind: notifier.kind, eventType: event.type, deploymentId: event.deploymentId, attempt, err: describe(error) };
        if (attempt === attempts) {
          this.logger.warn(facts, 'notification dropped after retries');
          return;
        }
        this.logger.debug(facts, 'notification failed; retrying');
        try {
          await sleep(this.settings.backoffMs * 2 ** (attempt - 1), undefined, { signal: this.stop.signal });
        } catch {
          return;
        }
      }
    }
  }
}

function describe(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
