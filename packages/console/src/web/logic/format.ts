/** Human time text: "3 s", "4 min 10 s", "2 h 5 min", "3 d". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** "12 s ago" (or "in 5 min" for a future time). */
export function formatAge(iso: string | number | null | undefined, now: number): string {
  if (iso === null || iso === undefined) return '—';
  const at = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const delta = now - at;
  return delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/** Elapsed time of something that started and maybe ended. */
export function formatElapsed(startIso: string | null, endIso: string | null, now: number): string {
  if (!startIso) return '—';
  const end = endIso ? Date.parse(endIso) : now;
  return formatDuration(end - Date.parse(startIso));
}

/** A short local timestamp, stable across renders. */
export function formatTime(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Whether an agent's last heartbeat is older than this many seconds (it is probably gone). */
export function isStale(iso: string, now: number, afterSeconds = 60): boolean {
  return now - Date.parse(iso) > afterSeconds * 1000;
}

/** The status badge's tone. */
export function statusTone(status: string): 'ok' | 'bad' | 'active' | 'waiting' | 'neutral' {
  switch (status) {
    case 'SUCCEEDED':
      return 'ok';
    case 'FAILED':
    case 'ROLLED_BACK':
    case 'ROLLING_BACK':
    case 'REJECTED':
    case 'CANCELLED':
      return 'bad';
    case 'RUNNING':
      return 'active';
    case 'PAUSED':
    case 'AWAITING_APPROVAL':
    case 'WAITING':
    case 'QUEUED':
      return 'waiting';
    default:
      return 'neutral';
  }
}

/** A one-line description of an event for the timeline. */
export function describeEvent(event: { type: string; target: string | null; stepId: string | null; data: Record<string, unknown> }): string {
  const d = event.data;
  const where = event.target ? ` in ${event.target}` : '';
  switch (event.type) {
    case 'deployment.started':
      return 'Deployment started';
    case 'deployment.queued':
      return 'Deployment queued behind another one of the same application';
    case 'deployment.completed':
      return `Deployment completed: ${String(d.status ?? '')}`.trim();
    case 'target.started':
      return `Target ${event.target ?? ''} started`;
    case 'target.completed':
      return `Target ${event.target ?? ''} completed${d.status ? `: ${String(d.status)}` : ''}`;
    case 'target.rollingBack':
      return `Rolling back ${event.target ?? ''}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'target.rolledBack':
      return `Rolled back ${event.target ?? ''}`;
    case 'step.started':
      return `Step ${event.stepId ?? ''} started${where}`;
    case 'step.completed':
      return `Step ${event.stepId ?? ''} completed${where}`;
    case 'step.failed':
      return `Step ${event.stepId ?? ''} failed${where}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'step.waiting':
      return `Step ${event.stepId ?? ''} waiting${where}`;
    case 'approval.requested':
      return `Approval requested${where}${d.message ? `: ${String(d.message)}` : ''}`;
    case 'approval.granted':
      return `Approved${where}${d.by ? ` by ${String(d.by)}` : ''}`;
    case 'approval.rejected':
      return `Rejected${where}${d.by ? ` by ${String(d.by)}` : ''}`;
    case 'analysis.measured':
      return `Measured ${String(d.query ?? 'a metric')}${where}: ${typeof d.value === 'number' ? d.value : 'no data'} (${String(d.result ?? '')})`;
    case 'strategy.weightSet':
      return `Canary weight set to ${String(d.weight ?? '?')}%${where}`;
    default:
      return `${event.type}${where}`;
  }
}
