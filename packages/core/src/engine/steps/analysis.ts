import type { AnalysisStep, QueryConfig } from '../../config/types.js';
import { FerryInputError, FerryUnavailableError } from '../../errors/index.js';
import type { Json, MeasurementV1, MetricResultV1, PluginEventV1, StepContextV1, StepKindV1, StepOutcomeV1, VerdictV1 } from '../../plugins/contracts.js';
import { renderTemplate } from '../../template/render-template.js';

type Verdict = VerdictV1['verdict'];

interface AnalysisRun {
  end: number;
  verdict: Verdict;
  /** Per query: the window's value (null = no data). */
  values: Record<string, number | null>;
}

interface AnalysisState {
  since: number;
  runs: AnalysisRun[];
  /** Consecutive times a metric provider was unavailable for the current window. */
  unavailable?: number;
  /** Set once judging is over and a person must decide (manual modes, noData: pause). */
  concluded?: Verdict;
}

/**
 * `analysis`: one judgment per `interval` window, `numberOfJudgmentRuns` times; the final
 * verdict judges the values averaged over the runs. Every measurement is returned as an
 * `analysis.measured` event so the engine persists it. Windows are computed from the
 * persisted start time, so a resumed analysis measures the same windows.
 *
 * A comparative judge (`judge: mannWhitney`) also gets the stable version measured: each
 * query is asked twice per window, with `{{armory.replicaSetName}}` naming the canary and
 * then the stable ReplicaSet (`strategyState.stableReplicaSetName`), at a finer step so
 * that providers return series. The threshold path is unchanged.
 */
export function analysisStepKind(): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: 'analysis',
    validate(config, { path, config: file }) {
      const step = config as AnalysisStep;
      step.queries.forEach((name, i) => {
        if (!(name in file.analysis.queries)) {
          throw new FerryInputError(`${path}.queries[${i}]: unknown query "${name}"`, { code: 'dangling_reference' });
        }
      });
      return step;
    },
    run: (ctx) => runAnalysis(ctx),
  };
}

async function runAnalysis(ctx: StepContextV1): Promise<StepOutcomeV1> {
  const step = ctx.step.config as AnalysisStep;
  const previous = ctx.state as AnalysisState | undefined;
  const state: AnalysisState = previous ? structuredClone(previous) : { since: ctx.now(), runs: [] };
  if (state.concluded !== undefined) return decide(ctx, step, state, []);
  const interval = step.interval.ms;
  const events: PluginEventV1[] = [];
  while (state.runs.length < step.numberOfJudgmentRuns) {
    const end = state.since + (state.runs.length + 1) * interval;
    if (ctx.now() < end) return { status: 'waiting', state: toJson(state), wakeAt: end, events };
    let run: AnalysisRun;
    try {
      run = await measure(ctx, step, state, end, events);
    } catch (error) {
      if (!(error instanceof FerryUnavailableError) || ctx.signal.aborted) throw error;
      return retryLater(ctx, state, error, events);
    }
    delete state.unavailable;
    state.runs.push(run);
    if (step.abortOnFailedJudgment && effective(run.verdict, step) === 'fail') return conclude(ctx, step, state, 'fail', events);
  }
  return conclude(ctx, step, state, finalVerdict(ctx, step, state), events);
}

/** How often a window is measured again while its metric provider is unavailable, before the analysis fails. */
export const MAX_UNAVAILABLE_RETRIES = 5;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 60_000;

/**
 * A provider that cannot be reached (after its own retries) does not decide a rollout: the
 * same window is measured again later — windows are fixed in time, so the answer is the
 * same one a prompt query would have given. Only repeated unavailability fails the step.
 */
function retryLater(ctx: StepContextV1, state: AnalysisState, error: FerryUnavailableError, events: PluginEventV1[]): StepOutcomeV1 {
  const attempt = (state.unavailable ?? 0) + 1;
  if (attempt > MAX_UNAVAILABLE_RETRIES) {
    return {
      status: 'failed',
      reason: `analysis failed: the metric provider was unavailable ${attempt} times in a row (${error.message})`,
      state: toJson(state),
      events,
    };
  }
  state.unavailable = attempt;
  const suggested = error.details.retryAfterMs;
  const delayMs =
    typeof suggested === 'number' && suggested > 0
      ? Math.min(suggested, RETRY_MAX_MS)
      : Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
  events.push({ type: 'analysis.unavailable', data: { run: state.runs.length + 1, attempt, retryInMs: delayMs, message: error.message } });
  return { status: 'waiting', state: toJson(state), wakeAt: ctx.now() + delayMs, events };
}

async function measure(ctx: StepContextV1, step: AnalysisStep, state: AnalysisState, end: number, events: PluginEventV1[]): Promise<AnalysisRun> {
  const interval = step.interval.ms;
  const start = step.lookbackMethod === 'growing' ? state.since : end - interval;
  const comparative = COMPARATIVE_JUDGES.has(step.judge);
  const window = { start, end, stepSeconds: comparative ? seriesStepSeconds(interval) : Math.max(1, Math.round(interval / 1000)) };
  const extra = windowVariables(ctx, start, end, interval);
  const templateValues = { armory: { ...ctx.variables.armory, ...extra }, context: { ...ctx.variables.context, ...step.context } };
  const stable = comparative ? stableReplicaSetName(ctx) : undefined;
  const measurements: MeasurementV1[] = [];
  const baselineRendered: Array<string | undefined> = [];
  for (const name of step.queries) {
    const query = ctx.config.analysis.queries[name] as QueryConfig;
    const render = (values: typeof templateValues) => renderTemplate(query.queryTemplate, values, { secret: (name) => ctx.secret(name) });
    const rendered = await render(templateValues);
    const provider = ctx.metricProvider(query.metricProviderName ?? step.metricProviderName);
    const canary = await provider.query({ query: rendered, window, signal: ctx.signal });
    // A comparative judge needs the stable version measured over the same window. On a
    // first deployment there is no stable ReplicaSet: no baseline, and the judge says noData.
    let baseline: MetricResultV1 | undefined;
    let stableRendered: string | undefined;
    if (stable !== undefined) {
      stableRendered = await render({ ...templateValues, armory: { ...templateValues.armory, replicaSetName: stable } });
      baseline = await provider.query({ query: stableRendered, window, signal: ctx.signal });
    }
    baselineRendered.push(stableRendered);
    measurements.push({ query: name, rendered, ...limits(query), canary, ...(baseline ? { baseline } : {}) });
  }
  const verdict = ctx.judge(step.judge).judge({ measurements, step });
  const values: Record<string, number | null> = {};
  measurements.forEach((m, i) => {
    values[m.query] = m.canary.value;
    events.push({
      type: 'analysis.measured',
      data: {
        run: state.runs.length + 1,
        query: m.query,
        rendered: m.rendered,
        windowStart: start,
        windowEnd: end,
        value: m.canary.value,
        ...(m.lowerLimit !== undefined ? { lowerLimit: m.lowerLimit } : {}),
        ...(m.upperLimit !== undefined ? { upperLimit: m.upperLimit } : {}),
        result: verdict.perMetric[i]?.result ?? verdict.verdict,
        verdict: verdict.verdict,
        reasons: verdict.reasons,
        ...(m.canary.raw !== undefined ? { raw: m.canary.raw } : {}),
        ...(comparative ? comparativeData(m, baselineRendered[i], verdict.perMetric[i]?.detail) : {}),
      },
    });
  });
  return { end, verdict: verdict.verdict, values };
}

/** What a comparative judgment adds to its `analysis.measured` event: the baseline side and the judge's detail. */
function comparativeData(m: MeasurementV1, baselineRendered: string | undefined, detail: Record<string, Json> | undefined): Record<string, Json> {
  return {
    canaryPoints: m.canary.series?.length ?? 0,
    baselineValue: m.baseline?.value ?? null,
    baselinePoints: m.baseline?.series?.length ?? 0,
    ...(baselineRendered !== undefined ? { baselineRendered } : {}),
    ...(m.baseline?.raw !== undefined ? { baselineRaw: m.baseline.raw } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

/** The verdict of the values averaged over all runs (no data in every run stays no data). */
function finalVerdict(ctx: StepContextV1, step: AnalysisStep, state: AnalysisState): Verdict {
  if (state.runs.length === 1) return (state.runs[0] as AnalysisRun).verdict;
  // A comparative judge needs both series, which averaging cannot give: like Spinnaker's
  // canary stage, the last run decides (with growing lookback it covers every point so far);
  // abortOnFailedJudgment makes any earlier failure final.
  if (COMPARATIVE_JUDGES.has(step.judge)) return (state.runs[state.runs.length - 1] as AnalysisRun).verdict;
  const measurements: MeasurementV1[] = step.queries.map((name) => {
    const query = ctx.config.analysis.queries[name] as QueryConfig;
    const values = state.runs.map((r) => r.values[name]).filter((v): v is number => typeof v === 'number');
    const value = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    return { query: name, rendered: query.queryTemplate, ...limits(query), canary: { value, series: values } };
  });
  return ctx.judge(step.judge).judge({ measurements, step }).verdict;
}

function effective(verdict: Verdict, step: AnalysisStep): Verdict {
  if (verdict !== 'noData') return verdict;
  return step.noData === 'pass' ? 'pass' : step.noData === 'fail' ? 'fail' : 'noData';
}

function conclude(ctx: StepContextV1, step: AnalysisStep, state: AnalysisState, verdict: Verdict, events: PluginEventV1[]): StepOutcomeV1 {
  state.concluded = effective(verdict, step);
  return decide(ctx, step, state, events);
}

/** Acts on a concluded verdict: at once in automatic modes, after a person's decision otherwise. */
function decide(ctx: StepContextV1, step: AnalysisStep, state: AnalysisState, events: PluginEventV1[]): StepOutcomeV1 {
  const verdict = state.concluded as Verdict;
  const decision = ctx.decision;
  if (decision) {
    const forward = decision.action === 'approve' || decision.action === 'rollForward' || decision.action === 'skip';
    return forward
      ? { status: 'succeeded', state: toJson(state), events }
      : { status: 'failed', reason: `analysis: rolled back by ${decision.by}`, state: toJson(state), events };
  }
  if (verdict === 'pass' && step.rollForwardMode === 'automatic') return { status: 'succeeded', state: toJson(state), events };
  if (verdict === 'fail' && step.rollBackMode === 'automatic') {
    return { status: 'failed', reason: `analysis failed after ${state.runs.length} judgment run(s)`, state: toJson(state), events };
  }
  const message =
    verdict === 'pass'
      ? 'analysis passed: roll forward?'
      : verdict === 'fail'
        ? 'analysis failed: roll back?'
        : 'analysis found no data: roll forward or roll back?';
  return {
    status: 'waiting',
    state: toJson(state),
    approval: { kind: verdict === 'fail' ? 'rollBack' : 'rollForward', message, requiresRoles: [] },
    events,
  };
}

/** Judges that compare the canary with the stable version: they get a baseline and series. */
const COMPARATIVE_JUDGES: ReadonlySet<string> = new Set(['mannWhitney']);

/** Points per interval asked of providers for a comparative judge: enough for a rank test, few enough to stay cheap. */
const SERIES_POINTS_PER_INTERVAL = 30;

/** The series resolution (window.stepSeconds) for comparative judges; the threshold path keeps one step per interval. */
function seriesStepSeconds(interval: number): number {
  return Math.max(1, Math.round(interval / 1000 / SERIES_POINTS_PER_INTERVAL));
}

function stableReplicaSetName(ctx: StepContextV1): string | undefined {
  const strategy = ctx.strategyState as Record<string, Json> | undefined;
  const name = strategy?.stableReplicaSetName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function windowVariables(ctx: StepContextV1, start: number, end: number, interval: number): Record<string, string> {
  const strategy = ctx.strategyState as Record<string, Json> | undefined;
  const replicaSetName = typeof strategy?.replicaSetName === 'string' ? strategy.replicaSetName : undefined;
  return {
    startTimeIso8601: new Date(start).toISOString(),
    startTimeEpochSeconds: String(Math.floor(start / 1000)),
    startTimeEpochMillis: String(start),
    endTimeIso8601: new Date(end).toISOString(),
    endTimeEpochSeconds: String(Math.floor(end / 1000)),
    endTimeEpochMillis: String(end),
    intervalMillis: String(interval),
    intervalSeconds: String(Math.round(interval / 1000)),
    promQlStepInterval: `${Math.max(1, Math.round(interval / 1000))}s`,
    ...(replicaSetName !== undefined ? { replicaSetName } : {}),
  };
}

function limits(query: QueryConfig): { lowerLimit?: number; upperLimit?: number } {
  return {
    ...(query.lowerLimit !== undefined ? { lowerLimit: query.lowerLimit } : {}),
    ...(query.upperLimit !== undefined ? { upperLimit: query.upperLimit } : {}),
  };
}

function toJson(state: AnalysisState): Json {
  return state as unknown as Json;
}
