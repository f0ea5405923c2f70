import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostic-sink.js';

export const SUPPORTED_VERSIONS = ['v1'] as const;
export const SUPPORTED_KINDS = ['kubernetes'] as const;

/**
 * `version` and `kind` decide how the rest of the file reads, so they are checked first; a
 * file of another version or kind gets this one clear error instead of a cascade.
 */
export function checkVersionAndKind(data: Record<string, unknown>, sink: DiagnosticSink): boolean {
  const { version, kind } = data;
  let ok = true;
  if (version !== undefined && version !== null && version !== 'v1') {
    sink.error(['version'], 'unsupported_version', `unsupported version ${show(version)} (supported versions: ${SUPPORTED_VERSIONS.join(', ')})`);
    ok = false;
  }
  if (kind === 'lambda') {
    sink.error(['kind'], 'unsupported_kind', 'kind "lambda" is not supported: Ferry deploys to Kubernetes only (kind: kubernetes)');
    ok = false;
  } else if (kind !== undefined && kind !== null && kind !== 'kubernetes') {
    const hint = typeof kind === 'string' ? didYouMean(kind, SUPPORTED_KINDS) : '';
    sink.error(['kind'], 'unsupported_kind', `unsupported kind ${show(kind)} (supported kinds: ${SUPPORTED_KINDS.join(', ')})${hint}`);
    ok = false;
  }
  return ok;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}
