import type { JudgeV1, MeasurementV1, MetricProviderV1, MetricWindowV1, VerdictV1 } from '../plugins/contracts.js';

/** A plain threshold judge (kind `threshold`): a value outside [lowerLimit, upperLimit] fails. */
export function testThresholdJudge(): JudgeV1 {
  return {
    specificationVersion: 'v1',
    kind: 'threshold',
    judge({ measurements }) {
      const perMetric = measurements.map((m: MeasurementV1) => {
        const value = m.canary.value;
        const result: VerdictV1['perMetric'][number]['result'] =
          value === null ? 'noData' : m.upperLimit !== undefined && value > m.upperLimit ? 'high' : m.lowerLimit !== undefined && value < m.lowerLimit ? 'low' : 'pass';
        return { query: m.query, result, detail: { value } };
      });
      const verdict: VerdictV1['verdict'] = perMetric.some((p) => p.result === 'high' || p.result === 'low') ? 'fail' : perMetric.some((p) => p.result === 'noData') ? 'noData' : 'pass';
      return { verdict, reasons: perMetric.map((p) => `${p.query}: ${p.result}`), perMetric };
    },
  };
}

export interface ScriptedQuery {
  query: string;
  window: MetricWindowV1;
}

export interface ScriptedMetricProvider extends MetricProviderV1 {
  /** Every query asked, in order. */
  readonly queries: ScriptedQuery[];
}

/** A metric provider answering from a function of the query and window (null = no data). */
export function scriptedMetricProvider(name: string, answer: (input: ScriptedQuery, index: number) => number | null): ScriptedMetricProvider {
  const queries: ScriptedQuery[] = [];
  return {
    specificationVersion: 'v1',
    kind: 'scripted',
    name,
    queries,
    async query({ query, window }) {
      const input = { query, window: { ...window } };
      queries.push(input);
      return { value: answer(input, queries.length - 1) };
    },
    async testConnection() {
      return { ok: true };
    },
  };
}
