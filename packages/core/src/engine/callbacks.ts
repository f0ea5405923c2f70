import { FerryConflictError, FerryForbiddenError, FerryInputError, FerryNotFoundError } from '../errors/index.js';
import type { ClockV1, EngineEventV1 } from '../plugins/contracts.js';
import type { DeploymentStateV1, NewEventV1, StepStateV1, StoreV1, TargetStateV1 } from '../store/contracts.js';
import { isTerminalDeploymentStatus } from '../store/statuses.js';
import { MAX_TOKENS_PER_STEP, matchesCallbackToken, mintCallbackToken } from './callback-tokens.js';
import { isActiveTarget } from './transitions.js';

/** An external system answering a waiting step (`engine.callback`). */
export interface CallbackInput {
  stepId: string;
  /** The token minted for the step (`ctx.issueCallbackToken`); compared by hash, never stored. */
  token: string;
  success: boolean;
  mdMessage?: string;
  /** Who calls back, for the record and events. */
  by: string;
}

const MAX_MESSAGE_CHARS = 10_000;

/**
 * Records a callback on the step, as PersonActions records a decision: runs inside
 * `store.update`. Checks in an order that leaks nothing to a caller without the token:
 * unknown deployment or step (404), then the token (403), then whether the step can still
 * take an answer (409). A step counts as answerable while RUNNING too: a fast external
 * system may call back before the run that sent the request has persisted its outcome.
 */
export function recordCallback(s: DeploymentStateV1, id: string, input: CallbackInput, now: number): NewEventV1[] {
  if (typeof input.success !== 'boolean') throw new FerryInputError('callback.success must be a boolean', { code: 'invalid_callback' });
  if (input.mdMessage !== undefined && typeof input.mdMessage !== 'string') throw new FerryInputError('callback.mdMessage must be a string', { code: 'invalid_callback' });
  if (input.mdMessage !== undefined && input.mdMessage.length > MAX_MESSAGE_CHARS) {
    throw new FerryInputError(`callback.mdMessage is longer than ${MAX_MESSAGE_CHARS} characters`, { code: 'invalid_callback' });
  }
  const found = findStep(s, input.stepId);
  if (!found) throw new FerryNotFoundError(`deployment ${id} has no step ${input.stepId}`, { code: 'step_not_found' });
  const [targetName, t, st] = found;
  if (!matchesCallbackToken(input.token, st.callbackTokenHashes ?? [])) {
    throw new FerryForbiddenError(`the callback token is not valid for step ${input.stepId}`, { code: 'invalid_callback_token' });
  }
  if (isTerminalDeploymentStatus(s.status)) throw new FerryConflictError(`deployment ${id} has ended (${s.status})`, { code: 'deployment_ended' });
  if ((st.status !== 'WAITING' && st.status !== 'RUNNING') || !isActiveTarget(t) || t.rollback) {
    throw new FerryConflictError(`step ${input.stepId} is not waiting for a callback (${st.status})`, { code: 'step_not_waiting' });
  }
  if (st.callback) throw new FerryConflictError(`step ${input.stepId} was already called back`, { code: 'already_called_back' });
  st.callback = { success: input.success, at: now, by: input.by, ...(input.mdMessage !== undefined ? { mdMessage: input.mdMessage } : {}) };
  return [{ deploymentId: id, type: 'step.callbackReceived', at: now, target: targetName, stepId: input.stepId, data: { success: input.success, by: input.by } }];
}

/**
 * `engine.callback`: persists the answer on the step with `wakeAt = now`, without the lease,
 * like a person's decision (PersonActions): the engine holding the lease runs the step at
 * once when it is this one, or at its next scan of due deployments otherwise.
 */
export async function answerCallback(
  deps: { store: StoreV1; clock: ClockV1; poke: (id: string) => void; emit: (event: EngineEventV1) => void },
  id: string,
  input: CallbackInput,
): Promise<void> {
  const now = deps.clock.now();
  let result;
  try {
    result = await deps.store.update(id, (s) => {
      const events = recordCallback(s, id, input, now);
      s.wakeAt = now;
      s.updatedAt = now;
      return { events };
    });
  } catch (error) {
    if (error instanceof FerryNotFoundError && error.code === 'deployment_not_found') throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
    throw error;
  }
  for (const e of result.events) deps.emit(e);
  deps.poke(id);
}

/**
 * Mints a callback token for a step and persists its hash under the engine's lease before
 * handing the token out, so whatever a plugin sends with it can be answered even if the
 * engine dies right after. Oldest hashes beyond MAX_TOKENS_PER_STEP are dropped.
 */
export async function issueCallbackToken(store: StoreV1, input: { deploymentId: string; stepId: string; owner: string; signal: AbortSignal }): Promise<string> {
  input.signal.throwIfAborted();
  const { token, hash } = mintCallbackToken();
  await store.update(
    input.deploymentId,
    (s) => {
      const found = findStep(s, input.stepId);
      if (!found || (found[2].status !== 'RUNNING' && found[2].status !== 'WAITING')) {
        throw new FerryConflictError(`step ${input.stepId} is not running: no callback token can be issued`, { code: 'step_not_running' });
      }
      const st = found[2];
      st.callbackTokenHashes = [...(st.callbackTokenHashes ?? []), hash].slice(-MAX_TOKENS_PER_STEP);
      return {};
    },
    { leaseOwner: input.owner },
  );
  input.signal.throwIfAborted();
  return token;
}

function findStep(s: DeploymentStateV1, stepId: string): [string, TargetStateV1, StepStateV1] | undefined {
  for (const [name, t] of Object.entries(s.targets)) {
    const st = t.steps[stepId];
    if (st) return [name, t, st];
  }
  return undefined;
}
