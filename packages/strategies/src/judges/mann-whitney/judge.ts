import type { AnalysisStep, JudgeV1, MeasurementV1, VerdictV1 } from '@ferry/core';
import { classifyMetric, type Classification, type MetricClassification, type TestContext } from './classify.js';
import { normalQuantile } from './normal.js';
import { parseOptions, settingsFor, type MannWhitneyJudgeOptions, type MetricSettings, type ParsedOptions } from './options.js';
import { workspace, type Workspace } from './pairwise-differences.js';

interface JudgeContext extends TestContext {
  settings(m: MeasurementV1): MetricSettings;
}

const RESULT: Record<Classification, VerdictV1['perMetric'][number]['result']> = { Pass: 'pass', High: 'high', Low: 'low', NoData: 'noData' };

/**
 * `judge: mannWhitney`: Kayenta's NetflixACAJudge. Each query's canary series is compared
 * with the baseline (stable) series by a Mann-Whitney U test (see classify.ts); the score
 * is the weighted share of metrics that passed, among those with data; a critical failure
 * scores 0. The run passes at a score ≥ `pass`; below, it fails (`marginal` only names how
 * badly, as VerdictV1 has no marginal outcome). Queries without data follow the step's
 * `noData`, as with the threshold judge. Options are validated once, here.
 */
export function mannWhitneyJudge(options: MannWhitneyJudgeOptions = {}): JudgeV1 {
  const parsed = parseOptions(options);
  const z = normalQuantile(1 - (1 - parsed.confidenceLevel) / 2);
  let scratch: Workspace = workspace(128);
  // Settings depend only on the query and which limits it has: resolve them once each.
  const resolved = new Map<string, MetricSettings>();
  const ctx: JudgeContext = {
    confidenceLevel: parsed.confidenceLevel,
    z,
    workspace(n) {
      if (scratch.probe.length < n) scratch = workspace(n);
      return scratch;
    },
    settings(m) {
      const key = `${m.lowerLimit !== undefined ? 'L' : '-'}${m.upperLimit !== undefined ? 'U' : '-'}${m.query}`;
      let found = resolved.get(key);
      if (!found) {
        found = settingsFor(parsed, m.query, m);
        if (resolved.size > 1000) resolved.clear();
        resolved.set(key, found);
      }
      return found;
    },
  };
  return {
    specificationVersion: 'v1',
    kind: 'mannWhitney',
    judge({ measurements, step }) {
      return judgeMannWhitney(measurements, step, parsed, ctx);
    },
  };
}

function judgeMannWhitney(measurements: MeasurementV1[], step: Pick<AnalysisStep, 'noData'>, options: ParsedOptions, ctx: JudgeContext): VerdictV1 {
  if (measurements.length === 0) return { verdict: 'noData', reasons: ['no queries were measured'], perMetric: [] };
  const metrics = measurements.map((m) => classifyMetric(m, ctx.settings(m), ctx));
  const reasons = metrics.map((c) => `${c.query}: ${c.classification} — ${c.reason}${c.classification === 'NoData' ? ` (noData: ${step.noData})` : ''}`);
  const perMetric = metrics.map((c) => ({ query: c.query, result: RESULT[c.classification], detail: c.detail }));

  const critical = metrics.filter((c) => c.critical);
  if (critical.length > 0) {
    reasons.push(`score 0: critical failure of ${critical.map((c) => c.query).join(', ')}`);
    return { verdict: 'fail', score: 0, reasons, perMetric };
  }
  const score = weightedScore(metrics);
  const missing = metrics.some((c) => c.classification === 'NoData');
  if (score === undefined) {
    // Nothing had data: the step's noData decides, as with the threshold judge.
    const verdict = step.noData === 'pass' ? 'pass' : step.noData === 'fail' ? 'fail' : 'noData';
    return { verdict, ...(step.noData === 'pass' ? { score: 100 } : {}), reasons, perMetric };
  }
  const band = score >= options.pass ? 'pass' : score >= options.marginal ? 'marginal' : 'fail';
  reasons.push(`score ${round(score)} (pass ≥ ${options.pass}, marginal ≥ ${options.marginal}): ${band}`);
  let verdict: VerdictV1['verdict'] = band === 'pass' ? 'pass' : 'fail';
  if (verdict === 'pass' && missing && step.noData === 'fail') verdict = 'fail';
  else if (verdict === 'pass' && missing && step.noData === 'pause') verdict = 'noData';
  return { verdict, score: round(score), reasons, perMetric };
}

/** 100 × Σ weight(passed) / Σ weight(with data); undefined when no metric had data. */
function weightedScore(metrics: MetricClassification[]): number | undefined {
  let total = 0;
  let passed = 0;
  for (const c of metrics) {
    if (c.classification === 'NoData') continue;
    total += c.weight;
    if (c.classification === 'Pass') passed += c.weight;
  }
  return total === 0 ? undefined : (100 * passed) / total;
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
