import pc from 'picocolors';
import type { DeploymentStatus } from '@ferry/core';
import type { RoundTraffic } from './traffic-watch.js';

export interface RoundResult extends RoundTraffic {
  round: number;
  title: string;
  version: string;
  expected: DeploymentStatus;
  status: DeploymentStatus;
  /** How the target ended (SUCCEEDED, ROLLED_BACK...). */
  targetStatus: string;
  reason?: string;
  seconds: number;
}

/**
 * The closing summary: one block per round, and whether each ended as the demo meant it to.
 * Its lines are stable text (the demo's e2e test reads them).
 */
export function renderSummary(results: RoundResult[]): string {
  const lines = [`\n${pc.bold('Summary')}`];
  for (const r of results) {
    const asMeant = r.status === r.expected;
    const mark = asMeant ? pc.green('✔') : pc.red('✖');
    lines.push(`${mark} round ${r.round}: ${r.title} → ${r.status} (target ${r.targetStatus}) in ${r.seconds.toFixed(1)}s${asMeant ? '' : pc.red(` (expected ${r.expected})`)}`);
    for (const split of r.splits) {
      const shares = Object.entries(split.byVersion)
        .map(([version, share]) => `${version} ${share.toFixed(1)}%`)
        .join(', ');
      lines.push(`    at weight ${split.weight}%: observed ${shares} over ${split.requests} requests`);
    }
    if (r.reason) lines.push(`    why: ${r.reason}`);
    const kinds = Object.entries(r.failuresByStatus).map(([status, n]) => `${n} × ${status}`);
    if (r.requests > 0) lines.push(`    traffic during the round: ${r.requests} requests, ${r.failedRequests} failed${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`);
    if (r.unroutable > 0) lines.push(pc.dim(`    ${r.unroutable} more not sent: the dev cluster's node had not published a new pod's port yet`));
  }
  const ok = results.every((r) => r.status === r.expected);
  lines.push(ok ? pc.green('Every round ended as expected.') : pc.red('Some rounds did not end as expected.'));
  return lines.join('\n');
}
