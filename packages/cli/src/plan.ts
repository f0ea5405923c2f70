import {
  buildPlan,
  createPluginRegistry,
  isFerryError,
  renderPlan,
  type DeployFile,
  type Diagnostic,
  type FerryPluginV1,
  type PlanV1,
} from '@ferry/core';
import { webhooks } from '@ferry/integrations/webhooks';
import { blueGreen, canary, mannWhitneyJudgePlugin, thresholdJudgePlugin } from '@ferry/strategies';

/** The plugins the stock CLI runs deployments with; `validate` plans against the same set. */
export function stockPlugins(): FerryPluginV1[] {
  return [canary(), blueGreen(), thresholdJudgePlugin(), mannWhitneyJudgePlugin()];
}

/**
 * What `validate` plans with: the stock plugins and the webhook step kind (planning never
 * calls a webhook, so its callback address does not matter here).
 */
export function planningPlugins(): FerryPluginV1[] {
  return [...stockPlugins(), webhooks({ callbackBaseUrl: 'http://127.0.0.1/' })];
}

/**
 * Plans a valid file the way an engine with the stock plugins would, so `validate` catches
 * what only planning finds (a step kind no plugin provides, a custom step's bad config).
 */
export function planFor(file: DeployFile, plugins: FerryPluginV1[] = planningPlugins()): { plan: PlanV1; text: string } | { error: Diagnostic[] } {
  try {
    const plan = buildPlan(file, createPluginRegistry(plugins));
    return { plan, text: renderPlan(plan) };
  } catch (error) {
    if (isFerryError(error) && 'diagnostics' in error && Array.isArray(error.diagnostics) && error.diagnostics.length > 0) {
      return { error: dedupe((error.diagnostics as Diagnostic[]).map((d) => asPlanProblem(d, file.path))) };
    }
    throw error;
  }
}

/**
 * A step kind no installed plugin runs is not a fault of the file (an Armory file with a
 * webhook is valid): the engine refuses to start it, but `validate` says so as a warning.
 */
function asPlanProblem(d: Diagnostic, path: string): Diagnostic {
  const located = { ...d, file: d.file ?? path };
  if (d.code !== 'unknown_step_kind') return located;
  return { ...located, severity: 'warning', message: `${d.message}: this installation cannot run the file until one does` };
}

/** Targets sharing a strategy report its problems once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.path}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
