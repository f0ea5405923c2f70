import pc from 'picocolors';
import type { DeploymentSummaryView } from '../backend/types.js';
import { statusText } from '../live/frame.js';

/** A table a person scans: id, application, status, when, targets. */
export function renderList(deployments: DeploymentSummaryView[], color: boolean): string {
  const paint = pc.createColors(color);
  if (deployments.length === 0) return 'no deployments\n';
  const rows = deployments.map((d) => [d.id, d.application, d.status, d.createdAtIso.replace('T', ' ').slice(0, 19), d.environments.map((e) => `${e.name}:${e.status}`).join(' ')]);
  const header = ['ID', 'APPLICATION', 'STATUS', 'CREATED (UTC)', 'TARGETS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[], paintStatus: boolean) =>
    cells.map((cell, i) => {
      const padded = cell.padEnd(widths[i] as number);
      return paintStatus && i === 2 ? statusText(cell, paint) + padded.slice(cell.length) : padded;
    }).join('  ').trimEnd();
  return `${[paint.dim(line(header, false)), ...rows.map((r) => line(r, true))].join('\n')}\n`;
}
