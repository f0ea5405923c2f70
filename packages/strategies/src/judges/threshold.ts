import type { AnalysisStep, JudgeV1, MeasurementV1, VerdictV1 } from '@ferry/core';

type MetricResult = VerdictV1['perMetric'][number];

/**
 * The reference's judge: a query passes when its value lies within
 * [lowerLimit, upperLimit] (limits inclusive; an absent limit does not bound). The verdict
 * is `fail` when any query is out of bounds. A query without a value (null or NaN) follows
 * the step's `noData`: `fail` fails the verdict, `pass` ignores the query, `pause` makes
 * the verdict `noData` (the engine asks a person). The score is the share of queries that
 * passed, 0–100.
 */
export function thresholdJudge(): JudgeV1 {
  return {
    specificationVersion: 'v1',
    kind: 'threshold',
    judge({ measurements, step }) {
      return judgeThresholds(measurements, step);
    },
  };
}

export function judgeThresholds(measurements: MeasurementV1[], step: Pick<AnalysisStep, 'noData'>): VerdictV1 {
  if (measurements.length === 0) return { verdict: 'noData', reasons: ['no queries were measured'], perMetric: [] };
  const perMetric = measurements.map(judgeOne);
  const reasons: string[] = [];
  for (const m of perMetric) {
    const value = m.detail.value as number | null;
    const lower = m.detail.lowerLimit;
    const upper = m.detail.upperLimit;
    if (m.result === 'high') reasons.push(`${m.query}: ${value} is above the upper limit ${upper}`);
    else if (m.result === 'low') reasons.push(`${m.query}: ${value} is below the lower limit ${lower}`);
    else if (m.result === 'noData') reasons.push(`${m.query}: no data (noData: ${step.noData})`);
    else reasons.push(`${m.query}: ${value} is within [${lower ?? '-∞'}, ${upper ?? '∞'}]`);
  }
  const outOfBounds = perMetric.some((m) => m.result === 'high' || m.result === 'low');
  const missing = perMetric.some((m) => m.result === 'noData');
  const passed = perMetric.filter((m) => m.result === 'pass').length;
  const counted = step.noData === 'pass' ? perMetric.filter((m) => m.result !== 'noData').length : perMetric.length;
  const score = counted === 0 ? 100 : Math.round((passed / counted) * 100);
  let verdict: VerdictV1['verdict'] = 'pass';
  if (outOfBounds || (missing && step.noData === 'fail')) verdict = 'fail';
  else if (missing && step.noData === 'pause') verdict = 'noData';
  return { verdict, score, reasons, perMetric };
}

function judgeOne(m: MeasurementV1): MetricResult {
  const raw = m.canary.value;
  const value = typeof raw === 'number' && !Number.isNaN(raw) ? raw : null;
  const detail = { value, lowerLimit: m.lowerLimit ?? null, upperLimit: m.upperLimit ?? null };
  if (value === null) return { query: m.query, result: 'noData', detail };
  if (m.upperLimit !== undefined && value > m.upperLimit) return { query: m.query, result: 'high', detail };
  if (m.lowerLimit !== undefined && value < m.lowerLimit) return { query: m.query, result: 'low', detail };
  return { query: m.query, result: 'pass', detail };
}
