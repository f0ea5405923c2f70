/**
 * Reads `data.result[0].value` style paths from parsed JSON. Segments are split on dots;
 * `name[2]` indexes arrays. An empty path is the document itself.
 */
export function valueAtPath(document: unknown, path: string): unknown {
  if (path === '') return document;
  let current: unknown = document;
  for (const segment of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match) throw new Error(`bad path segment "${segment}"`);
    if (match[1]) current = isObject(current) ? current[match[1]] : undefined;
    for (const index of match[2]?.match(/\d+/g) ?? []) current = Array.isArray(current) ? current[Number(index)] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A JSON value as a metric: numbers and numeric strings; null/undefined mean no data. */
export function toMetric(value: unknown, path: string): number | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new Error(`the value at "${path}" is not a number: ${JSON.stringify(value).slice(0, 100)}`);
  return number;
}
