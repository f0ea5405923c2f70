import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostic-sink.js';

type Path = Array<string | number>;

/** The parts of zod's (stable, documented) schema definitions this walk reads. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/**
 * Walks the data alongside its schema and warns about every key the schema does not know.
 * Unknown keys are not errors (newer files should load on older Ferry), but they are never
 * dropped silently: a typo such as `stratgey` would otherwise change the deployment.
 */
export function reportUnknownKeys(schema: z.ZodType, data: unknown, sink: DiagnosticSink, path: Path = []): void {
  if (data === null || typeof data !== 'object') return;
  const def = unwrap(schema, data);
  if (def.type === 'object' && def.shape && !Array.isArray(data)) {
    const shape = def.shape;
    for (const [key, value] of Object.entries(data)) {
      const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (field) reportUnknownKeys(field, value, sink, [...path, key]);
      else sink.warning([...path, key], 'unknown_key', `unknown key "${key}"${didYouMean(key, Object.keys(shape))}; it is ignored`, true);
    }
  } else if (def.type === 'record' && def.valueType && !Array.isArray(data)) {
    for (const [key, value] of Object.entries(data)) reportUnknownKeys(def.valueType, value, sink, [...path, key]);
  } else if (def.type === 'array' && def.element && Array.isArray(data)) {
    const element = def.element;
    data.forEach((item, index) => reportUnknownKeys(element, item, sink, [...path, index]));
  }
}

/** Sees through optional/nullable/pipes, and picks the union member that fits the data's shape. */
function unwrap(schema: z.ZodType, data: unknown): Def {
  let def = defOf(schema);
  for (;;) {
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      def = defOf(def.innerType);
    } else if (def.type === 'pipe' && def.in && def.out) {
      // z.preprocess is a pipe from a transform: the shape lives on its output side.
      def = defOf(defOf(def.in).type === 'transform' ? def.out : def.in);
    } else if (def.type === 'union' && def.options) {
      const wantsList = Array.isArray(data);
      const fit = def.options
        .map((option) => unwrap(option, data))
        .find((candidate) => (wantsList ? candidate.type === 'array' : candidate.type === 'object' || candidate.type === 'record'));
      return fit ?? def;
    } else {
      return def;
    }
  }
}
