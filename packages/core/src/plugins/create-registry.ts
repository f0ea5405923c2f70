import { builtinStepKinds } from '../engine/steps/builtin-plugin.js';
import { silentLogger } from '../engine/silent-logger.js';
import type { LoggerV1 } from './contracts.js';
import type { FerryPluginV1 } from './define-plugin.js';
import { PluginRegistry } from './registry.js';

/**
 * The registry an engine uses: the built-in step kinds (`pause`, `analysis`, `apply`) and
 * then the given plugins. Tools that plan without running (`ferry validate`) use the same one,
 * so they accept exactly what an engine with those plugins would run.
 */
export function createPluginRegistry(plugins: FerryPluginV1[], logger: LoggerV1 = silentLogger): PluginRegistry {
  const registry = new PluginRegistry(logger);
  registry.register(builtinStepKinds());
  for (const plugin of plugins) registry.register(plugin);
  return registry;
}
