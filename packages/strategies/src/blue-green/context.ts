import { FerryInputError, type DeployConfig, type TargetConfig, type TrafficManagementConfig } from '@ferry/core';
import { servicePairs, type ServicePair } from './services.js';

/** The Service pairs of the target's blue/green strategy block. */
export function targetServicePairs(ctx: { config: DeployConfig; target: TargetConfig; trafficManagement: TrafficManagementConfig[] }): ServicePair[] {
  const block = ctx.target.strategy ? ctx.config.strategies[ctx.target.strategy] : undefined;
  if (block?.kind !== 'blueGreen') {
    throw new FerryInputError(`target "${ctx.target.name}" has no blueGreen strategy`, { code: 'wrong_strategy' });
  }
  return servicePairs(block, ctx.trafficManagement, ctx.target.name);
}
