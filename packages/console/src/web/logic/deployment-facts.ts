import type { EventPayload } from '../api/types.js';

/** Replicas per version of one Kubernetes Deployment, from the latest `strategy.weightSet`. */
export interface PodSplit {
  deployment: string;
  canary: number;
  stable: number;
  mode: string;
}

/** The latest weight and pod split per target, from the event log. */
export function podSplits(events: EventPayload[]): Map<string, { weight: number; pods: PodSplit[] }> {
  const byTarget = new Map<string, { weight: number; pods: PodSplit[] }>();
  for (const event of events) {
    if (event.type !== 'strategy.weightSet' || !event.target) continue;
    const weight = typeof event.data.weight === 'number' ? event.data.weight : 0;
    const list = Array.isArray(event.data.deployments) ? event.data.deployments : [];
    const pods = list.flatMap((entry): PodSplit[] => {
      if (!entry || typeof entry !== 'object') return [];
      const e = entry as Record<string, unknown>;
      return [{ deployment: String(e.deployment ?? ''), canary: num(e.canary), stable: num(e.stable), mode: String(e.mode ?? '') }];
    });
    byTarget.set(event.target, { weight, pods });
  }
  return byTarget;
}

/** A webhook's outcome: sent (status), then the callback's success and markdown message. */
export interface WebhookResult {
  target: string | null;
  stepId: string | null;
  webhook: string;
  httpStatus?: number;
  success?: boolean;
  by?: string;
  mdMessage?: string;
  at: number;
}

export function webhookResults(events: EventPayload[]): WebhookResult[] {
  const results = new Map<string, WebhookResult>();
  for (const event of events) {
    if (event.type !== 'webhook.sent' && event.type !== 'webhook.callback') continue;
    const webhook = String(event.data.webhook ?? event.data.name ?? 'webhook');
    const key = `${event.target ?? ''}\u0000${event.stepId ?? ''}\u0000${webhook}`;
    const current = results.get(key) ?? { target: event.target, stepId: event.stepId, webhook, at: event.at };
    if (event.type === 'webhook.sent' && typeof event.data.status === 'number') current.httpStatus = event.data.status;
    if (event.type === 'webhook.callback') {
      if (typeof event.data.success === 'boolean') current.success = event.data.success;
      if (typeof event.data.by === 'string') current.by = event.data.by;
      if (typeof event.data.mdMessage === 'string') current.mdMessage = event.data.mdMessage;
    }
    current.at = event.at;
    results.set(key, current);
  }
  return [...results.values()];
}

/** A preview link a deployment exposed, and until when it works. */
export interface PreviewLink {
  target: string | null;
  service: string;
  url: string;
  expiresAt: number | null;
}

/**
 * Preview links from the event log: any event carrying `url` (or `previewUrl`) with a
 * `preview`/`exposeService` type, the newest per URL; `expiresAt` is epoch ms or ISO text.
 */
export function previewLinks(events: EventPayload[]): PreviewLink[] {
  const links = new Map<string, PreviewLink>();
  for (const event of events) {
    if (!/preview|expose/i.test(event.type)) continue;
    const entries = Array.isArray(event.data.links) ? (event.data.links as unknown[]) : [event.data];
    for (const entry of entries) {
      if (!entry || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      const url = typeof e.url === 'string' ? e.url : typeof e.previewUrl === 'string' ? e.previewUrl : undefined;
      if (!url || !/^https?:\/\//.test(url)) continue;
      links.set(url, { target: event.target, service: String(e.service ?? e.serviceName ?? ''), url, expiresAt: toEpoch(e.expiresAt ?? e.expiresAtIso) });
    }
  }
  return [...links.values()];
}

function toEpoch(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
