import type { FerryEngine } from '../engine/create-engine.js';
import type { DeploymentRecordV1 } from '../store/contracts.js';
import { isTerminalDeploymentStatus } from '../store/statuses.js';
import type { ManualClock } from './manual-clock.js';

/**
 * Runs a deployment to its end on a manual clock: lets the engine settle, asks `onAwaiting`
 * what to do when it waits for a person, otherwise fires the next timer.
 */
export async function driveToEnd(
  engine: FerryEngine,
  clock: ManualClock,
  id: string,
  options: { onAwaiting?: (record: DeploymentRecordV1) => Promise<void>; maxTicks?: number } = {},
): Promise<DeploymentRecordV1> {
  for (let i = 0; i < (options.maxTicks ?? 500); i++) {
    await engine.idle();
    const record = await engine.get(id);
    if (isTerminalDeploymentStatus(record.state.status)) return record;
    if (record.state.status === 'AWAITING_APPROVAL' && options.onAwaiting) {
      await options.onAwaiting(record);
      continue;
    }
    if (!clock.runNext()) throw new Error(`deployment ${id} is ${record.state.status} with no timer left`);
  }
  throw new Error(`deployment ${id} did not end within ${options.maxTicks ?? 500} ticks`);
}
