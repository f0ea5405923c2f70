import type { TestHub } from './start-test-hub.js';

export interface HubEvent {
  seq: number;
  type: string;
  target: string | null;
  stepId: string | null;
  data: Record<string, unknown>;
}

/** What the e2e suites do through the REST API: start, follow, read the log. */
export function deploymentsClient(fetch: TestHub['fetch'], token: () => string) {
  const json = async <T>(path: string, init: Parameters<TestHub['fetch']>[1] = {}): Promise<T> => {
    const response = await fetch(path, { ...init, token: token() });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    start: (deployFile: string) => json<{ id: string }>('/api/v1/deployments', { method: 'POST', json: { deployFile } }),
    status: (id: string) => json<{ status: string; reason: string | null }>(`/api/v1/deployments/${id}`),
    async events(id: string): Promise<HubEvent[]> {
      const all: HubEvent[] = [];
      for (let after = 0; ; ) {
        const page = await json<{ events: HubEvent[]; nextAfterSeq: number }>(`/api/v1/deployments/${id}/events?afterSeq=${after}&limit=1000`);
        all.push(...page.events);
        if (page.events.length === 0) return all;
        after = page.nextAfterSeq;
      }
    },
  };
}

/** Polls until `check` answers a value (not undefined); fails with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The log's step accounting: every step that completed did so exactly once, and a step
 * started more than once is only one that was interrupted (started, then no completion
 * before the next start). Answers the problems found (empty when sound).
 */
export function stepProblems(events: HubEvent[]): string[] {
  const problems: string[] = [];
  const completed = new Map<string, number>();
  const open = new Set<string>();
  for (const event of events) {
    const step = event.stepId ?? '';
    if (event.type === 'step.started') open.add(step);
    if (event.type === 'step.completed') {
      completed.set(step, (completed.get(step) ?? 0) + 1);
      open.delete(step);
    }
  }
  for (const [step, count] of completed) if (count > 1) problems.push(`step ${step} completed ${count} times`);
  const startedAfterCompletion = new Set<string>();
  const done = new Set<string>();
  for (const event of events) {
    const step = event.stepId ?? '';
    if (event.type === 'step.completed') done.add(step);
    if (event.type === 'step.started' && done.has(step)) startedAfterCompletion.add(step);
  }
  for (const step of startedAfterCompletion) problems.push(`step ${step} started again after it completed`);
  return problems;
}

/** Whether the log shows a pause step waiting (started, then waiting, not yet completed). */
export function pauseIsWaiting(events: HubEvent[]): boolean {
  const pauses = new Set(events.filter((e) => e.type === 'step.started' && e.data.kind === 'pause').map((e) => e.stepId));
  const completed = new Set(events.filter((e) => e.type === 'step.completed').map((e) => e.stepId));
  return events.some((e) => e.type === 'step.waiting' && pauses.has(e.stepId) && !completed.has(e.stepId));
}
