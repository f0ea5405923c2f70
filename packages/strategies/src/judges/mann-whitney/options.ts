import { parsePluginOptions } from '@ferry/core';
import { z } from 'zod';

/** Per-metric settings (Kayenta's canary-config metric settings); percents as in the Armory UI. */
const metricSettings = z
  .object({
    /** Which change fails the metric. Derived from the query's limits when absent (see README). */
    direction: z.enum(['increase', 'decrease', 'either']).optional(),
    /** A significant increase up to this many percent still passes (effect size ≤ 1 + p/100). */
    allowedIncrease: z.number().min(0).optional(),
    allowedDecrease: z.number().min(0).max(100).optional(),
    /** An increase of at least this many percent fails the whole run (score 0). */
    criticalIncrease: z.number().min(0).optional(),
    criticalDecrease: z.number().min(0).max(100).optional(),
    /** Any High/Low of this metric fails the whole run (Kayenta's `critical`). */
    critical: z.boolean().optional(),
    weight: z.number().positive().optional(),
    nanStrategy: z.enum(['remove', 'replace']).optional(),
    outliers: z.enum(['keep', 'remove']).optional(),
    /** IQR multiple beyond the quartiles that counts as an outlier. */
    outlierFactor: z.number().positive().optional(),
    effectSize: z.enum(['meanRatio', 'medianRatio']).optional(),
    /** Fewer points than this on either side is NoData. */
    minPoints: z.number().int().min(1).optional(),
  })
  .strict();

export type MetricSettingsInput = z.input<typeof metricSettings>;

export const mannWhitneyOptionsSchema = z
  .object({
    confidenceLevel: z.number().min(0.5).max(0.9999).default(0.95),
    /** Score (0–100) at or above which the run passes. */
    pass: z.number().min(0).max(100).default(95),
    /** Score at or above which a failing run is reported as marginal rather than failed. */
    marginal: z.number().min(0).max(100).default(75),
    /** Settings for every metric, under the per-query ones. */
    defaults: metricSettings.default({}),
    /** Settings keyed by query name (`analysis.queries[].name`). */
    metrics: z.record(z.string(), metricSettings).default({}),
  })
  .strict()
  .refine((o) => o.marginal <= o.pass, { message: 'marginal must not exceed pass', path: ['marginal'] });

export type MannWhitneyJudgeOptions = z.input<typeof mannWhitneyOptionsSchema>;
export type ParsedOptions = z.output<typeof mannWhitneyOptionsSchema>;

/** The settings one metric is judged with, every default filled in. */
export interface MetricSettings {
  direction: 'increase' | 'decrease' | 'either';
  allowedIncrease: number;
  allowedDecrease: number;
  criticalIncrease: number | undefined;
  criticalDecrease: number | undefined;
  critical: boolean;
  weight: number;
  nanStrategy: 'remove' | 'replace';
  outliers: 'keep' | 'remove';
  outlierFactor: number;
  effectSize: 'meanRatio' | 'medianRatio';
  minPoints: number;
}

export function parseOptions(options: unknown): ParsedOptions {
  return parsePluginOptions('judges.mannWhitney', mannWhitneyOptionsSchema, options);
}

/**
 * Per-query settings over the judge's defaults over Kayenta's defaults. Without a direction,
 * the limits say which side is harmful: an upperLimit means increases hurt (error rates,
 * latency; a lowerLimit beside it is usually a sanity floor such as 0), only a lowerLimit
 * means decreases hurt (throughput, success rate), neither means either.
 */
export function settingsFor(options: ParsedOptions, query: string, limits: { lowerLimit?: number; upperLimit?: number }): MetricSettings {
  const s = { ...options.defaults, ...options.metrics[query] };
  const derived = limits.upperLimit !== undefined ? 'increase' : limits.lowerLimit !== undefined ? 'decrease' : 'either';
  return {
    direction: s.direction ?? derived,
    allowedIncrease: s.allowedIncrease ?? 0,
    allowedDecrease: s.allowedDecrease ?? 0,
    criticalIncrease: s.criticalIncrease,
    criticalDecrease: s.criticalDecrease,
    critical: s.critical ?? false,
    weight: s.weight ?? 1,
    nanStrategy: s.nanStrategy ?? 'remove',
    outliers: s.outliers ?? 'keep',
    outlierFactor: s.outlierFactor ?? 3,
    effectSize: s.effectSize ?? 'meanRatio',
    minPoints: s.minPoints ?? 3,
  };
}
