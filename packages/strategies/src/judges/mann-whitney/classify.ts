import type { Json, MeasurementV1, MetricResultV1 } from '@ferry/core';
import { formatP, formatPercent, formatRatio, formatValue } from './format.js';
import { mannWhitneyTest } from './mann-whitney-test.js';
import type { MetricSettings } from './options.js';
import type { Workspace } from './pairwise-differences.js';
import { cleanSorted, mean, median, removeOutliers } from './transforms.js';

export type Classification = 'Pass' | 'High' | 'Low' | 'NoData';

export interface MetricClassification {
  query: string;
  classification: Classification;
  /** A High/Low that fails the whole run: a critical metric, or beyond the critical change. */
  critical: boolean;
  weight: number;
  /** The reason line, without the query name. */
  reason: string;
  detail: Record<string, Json>;
}

/** What every metric of one judgment shares: the confidence level, its z, and scratch space. */
export interface TestContext {
  confidenceLevel: number;
  z: number;
  workspace(n: number): Workspace;
}

/**
 * Kayenta's MannWhitneyClassifier for one metric: the canary (experiment) against the
 * baseline (control). High when the interval of the shift lies above 0 and the effect size
 * reaches 1 + allowedIncrease; Low when it lies below 0 and the effect size is at most
 * 1 − allowedDecrease; only the directions the metric cares about count.
 */
export function classifyMetric(m: MeasurementV1, s: MetricSettings, ctx: TestContext): MetricClassification {
  const base = { query: m.query, critical: false, weight: s.weight };
  const settings: Record<string, Json> = { direction: s.direction, weight: s.weight };
  if (!m.baseline) {
    return { ...base, classification: 'NoData', reason: 'no baseline was measured (no stable version to compare with)', detail: { classification: 'NoData', ...settings } };
  }
  const canary = prepare(m.canary, s);
  const baseline = prepare(m.baseline, s);
  const n = canary.sorted.length;
  const k = baseline.sorted.length;
  const counts = (): Record<string, Json> => ({
    canaryCount: n,
    baselineCount: k,
    canaryMissing: canary.missing,
    baselineMissing: baseline.missing,
    canaryOutliers: canary.outliers,
    baselineOutliers: baseline.outliers,
  });
  const sizes = `n=${n}/${k}`;
  if (n < s.minPoints || k < s.minPoints) {
    return { ...base, classification: 'NoData', reason: `too few points (${sizes}; at least ${s.minPoints} each)`, detail: { classification: 'NoData', ...settings, ...counts() } };
  }

  const canaryMedian = median(canary.sorted);
  const baselineMedian = median(baseline.sorted);
  const canaryMean = mean(canary.sorted);
  const baselineMean = mean(baseline.sorted);
  const effect = s.effectSize === 'meanRatio' ? ratio(canaryMean, baselineMean) : ratio(canaryMedian, baselineMedian);
  const centers = (): Record<string, Json> => ({ canaryMedian, baselineMedian, canaryMean, baselineMean, effectSizeMeasure: s.effectSize });
  const compared = `canary median ${formatValue(canaryMedian)} vs baseline ${formatValue(baselineMedian)}`;

  // Kayenta passes identical data, and data with a single value, without testing.
  if (sameValues(canary.sorted, baseline.sorted)) {
    return { ...base, classification: 'Pass', reason: `canary and baseline data are identical (${sizes})`, detail: { classification: 'Pass', ...settings, ...counts(), ...centers(), effectSize: 1 } };
  }

  const test = mannWhitneyTest(canary.sorted, baseline.sorted, ctx.confidenceLevel, ctx.z, ctx.workspace(n));
  if (test.interval === null) {
    const stats: Record<string, Json> = { ...centers(), effectSize: jsonNumber(effect), u: test.u, pValue: test.pValue, method: test.method, estimate: test.estimate, confidenceLevel: ctx.confidenceLevel };
    return {
      ...base,
      classification: 'NoData',
      reason: `too few points for a ${formatPercent(ctx.confidenceLevel)} interval (${sizes})`,
      detail: { classification: 'NoData', ...settings, ...counts(), ...stats },
    };
  }
  const { lower, upper, confidence } = test.interval;
  const high = s.direction !== 'decrease' && lower > 0 && effect >= 1 + s.allowedIncrease / 100;
  const low = s.direction !== 'increase' && upper < 0 && effect <= 1 - s.allowedDecrease / 100;
  const classification: Classification = high ? 'High' : low ? 'Low' : 'Pass';
  const beyondCritical =
    (high && s.criticalIncrease !== undefined && effect >= 1 + s.criticalIncrease / 100) || (low && s.criticalDecrease !== undefined && effect <= 1 - s.criticalDecrease / 100);
  const critical = (high || low) && (s.critical || beyondCritical);
  const reason =
    `${compared}, effect size ${formatRatio(effect)}, ${formatPercent(ctx.confidenceLevel)} CI of shift [${formatValue(lower)}, ${formatValue(upper)}], ${sizes}, p=${formatP(test.pValue)}` +
    (critical ? ' (critical)' : '');
  // One literal, not spreads: this is the path every judgment takes.
  const detail: Record<string, Json> = {
    classification,
    direction: s.direction,
    weight: s.weight,
    canaryCount: n,
    baselineCount: k,
    canaryMissing: canary.missing,
    baselineMissing: baseline.missing,
    canaryOutliers: canary.outliers,
    baselineOutliers: baseline.outliers,
    canaryMedian,
    baselineMedian,
    canaryMean,
    baselineMean,
    effectSizeMeasure: s.effectSize,
    effectSize: jsonNumber(effect),
    u: test.u,
    pValue: test.pValue,
    method: test.method,
    estimate: test.estimate,
    confidenceLevel: ctx.confidenceLevel,
    ciLower: lower,
    ciUpper: upper,
    achievedConfidence: confidence,
    critical,
  };
  return { query: m.query, classification, critical, weight: s.weight, reason, detail };
}

interface Prepared {
  sorted: Float64Array;
  missing: number;
  outliers: number;
}

/** The series (or the single value when a provider gave none), cleaned and sorted. */
function prepare(result: MetricResultV1, s: MetricSettings): Prepared {
  const raw = result.series ?? (result.value === null ? [] : [result.value]);
  const { sorted, missing } = cleanSorted(raw, s.nanStrategy);
  const kept = s.outliers === 'remove' ? removeOutliers(sorted, s.outlierFactor) : sorted;
  return { sorted: kept, missing, outliers: sorted.length - kept.length };
}

/** canary/baseline; 1 when both are 0; ±∞ when only the baseline is 0. */
function ratio(canary: number, baseline: number): number {
  if (baseline === 0) return canary === 0 ? 1 : canary > 0 ? Infinity : -Infinity;
  return canary / baseline;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** JSON has no ∞: an infinite effect size is stored as the string `Infinity` / `-Infinity`. */
function jsonNumber(x: number): Json {
  return Number.isFinite(x) ? x : String(x);
}
