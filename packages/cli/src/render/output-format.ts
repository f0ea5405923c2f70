import { stringify } from 'yaml';

export type OutputFormat = 'text' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];

/** Machine-readable output for `-o json|yaml`; text output is each command's own. */
export function formatData(format: Exclude<OutputFormat, 'text'>, data: unknown): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data);
}
