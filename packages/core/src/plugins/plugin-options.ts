import type { z } from 'zod';
import { FerryInputError, type Diagnostic } from '../errors/index.js';

/**
 * Validates a plugin's options at construction with the plugin's own zod schema, failing
 * with a FerryInputError that names the plugin and every bad option.
 */
export function parsePluginOptions<S extends z.ZodType>(pluginName: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const diagnostics: Diagnostic[] = result.error.issues.map((issue) => ({
    severity: 'error',
    code: 'invalid_plugin_option',
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = diagnostics.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  throw new FerryInputError(`plugin "${pluginName}": invalid options: ${summary}`, {
    code: 'invalid_plugin_options',
    diagnostics,
    details: { plugin: pluginName },
  });
}
