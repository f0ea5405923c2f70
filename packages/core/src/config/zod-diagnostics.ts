import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { describeValue, valueAt } from './value-at.js';

type Issue = z.core.$ZodIssue;
type Path = Array<string | number>;

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

/** Turns zod's issues into human diagnostics located at the key the user wrote. */
export function reportZodIssues(issues: readonly Issue[], data: unknown, sink: DiagnosticSink, prefix: Path = []): void {
  for (const found of issues) {
    const path: Path = [...prefix, ...found.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
    if (found.code === 'invalid_union') {
      reportUnion(found, path, data, sink);
      continue;
    }
    const { code, message } = describeIssue(found, valueAt(data, path), path);
    sink.error(path, code, message);
  }
}

function describeIssue(found: Issue, value: unknown, path: Path): { code: string; message: string } {
  switch (found.code) {
    case 'custom': {
      const code = (found.params as { ferryCode?: string } | undefined)?.ferryCode ?? 'invalid_value';
      return { code, message: found.message };
    }
    case 'invalid_type': {
      if (value === undefined) return { code: 'missing_key', message: `required key "${String(path.at(-1))}" is missing` };
      const expected = EXPECTED[found.expected] ?? found.expected;
      return { code: 'invalid_type', message: `expected ${expected}, got ${describeValue(value)}` };
    }
    case 'invalid_value': {
      const options = found.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, options) : '';
      const got = typeof value === 'string' ? JSON.stringify(value) : describeValue(value);
      return { code: 'invalid_value', message: `expected one of ${options.join(', ')}, got ${got}${hint}` };
    }
    case 'too_small':
      return { code: found.origin === 'number' ? 'out_of_range' : 'invalid_value', message: tooSmall(found, value) };
    case 'too_big':
      return { code: 'out_of_range', message: tooBig(found, value) };
    default:
      return { code: 'invalid_value', message: found.message };
  }
}

function tooSmall(found: z.core.$ZodIssueTooSmall, value: unknown): string {
  const min = Number(found.minimum);
  if (found.origin === 'string') return 'must not be empty';
  if (found.origin === 'array') return `must have at least ${min} ${min === 1 ? 'item' : 'items'}`;
  return found.inclusive ? `must be at least ${min} (got ${String(value)})` : `must be greater than ${min} (got ${String(value)})`;
}

function tooBig(found: z.core.$ZodIssueTooBig, value: unknown): string {
  const max = Number(found.maximum);
  if (found.origin === 'array') return `must have at most ${max} items`;
  return found.inclusive ? `must be at most ${max} (got ${String(value)})` : `must be less than ${max} (got ${String(value)})`;
}

/**
 * A union failed. When one branch got past the type check (the value had the right shape
 * but a bad field), its issues are the useful ones; otherwise the union's own message.
 */
function reportUnion(found: z.core.$ZodIssueInvalidUnion, path: Path, data: unknown, sink: DiagnosticSink): void {
  const deeper = found.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
  const best = deeper.sort((a, b) => a.length - b.length)[0];
  if (best) {
    reportZodIssues(best, data, sink, path);
    return;
  }
  sink.error(path, 'invalid_type', `${found.message}, got ${describeValue(valueAt(data, path))}`);
}
