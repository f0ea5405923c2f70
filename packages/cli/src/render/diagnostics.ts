import { relative } from 'node:path';
import pc from 'picocolors';
import type { Diagnostic } from '@ferry/core';

/** `file:line:col  error  path: message`, one per line, errors first, then a count. */
export function renderDiagnostics(diagnostics: Diagnostic[], options: { color: boolean; cwd: string }): string {
  const paint = pc.createColors(options.color);
  const sorted = [...diagnostics].sort(
    (a, b) => severityRank(a) - severityRank(b) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  const lines = sorted.map((d) => {
    const file = d.file ? relative(options.cwd, d.file) || d.file : '';
    const where = file ? `${file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}` : '';
    const label = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
    const path = d.path ? `${paint.bold(d.path)}: ` : '';
    return `${where ? `${paint.dim(where)} ` : ''}${label} ${path}${d.message}`;
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const summary =
    errors > 0
      ? paint.red(`✖ ${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''}`)
      : paint.green(`✔ valid${warnings ? ` (${count(warnings, 'warning')})` : ''}`);
  return `${[...lines, summary].join('\n')}\n`;
}

function severityRank(d: Diagnostic): number {
  return d.severity === 'error' ? 0 : 1;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
