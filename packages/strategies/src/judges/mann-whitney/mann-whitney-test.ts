import { EXACT_MAX_SIZE, cdf, exactPValue, quantile } from './exact-distribution.js';
import { normalCdf } from './normal.js';
import { kthDifference, kthDifferencePair, workspace, type Workspace } from './pairwise-differences.js';

/** The two-sided Mann-Whitney U test of x against y, with the Hodges-Lehmann shift and its interval. */
export interface MannWhitneyResult {
  /** U of x: pairs with x > y, plus half the tied pairs. */
  u: number;
  pValue: number;
  /** `exact` below 50 points a side without ties (as R's wilcox.test), else `normal` (tie- and continuity-corrected). */
  method: 'exact' | 'normal';
  /** Hodges-Lehmann estimate of the shift x − y: the median of the pairwise differences. */
  estimate: number;
  /** The interval of the shift at the requested confidence; null when the samples are too small to reach it. */
  interval: { lower: number; upper: number; confidence: number } | null;
}

/**
 * x and y sorted ascending, non-empty. `z` is Φ⁻¹(1 − α/2) for the confidence level
 * (computed once per judge, not per metric).
 */
export function mannWhitneyTest(x: Float64Array, y: Float64Array, confidenceLevel: number, z: number, ws: Workspace = workspace(x.length)): MannWhitneyResult {
  const n = x.length;
  const m = y.length;
  const nm = n * m;
  const { rankSumX, tieTerm } = rankSum(x, y);
  const u = rankSumX - (n * (n + 1)) / 2;
  const alpha = 1 - confidenceLevel;
  const exact = tieTerm === 0 && n <= EXACT_MAX_SIZE && m <= EXACT_MAX_SIZE;

  let pValue: number;
  let c: number; // the interval is [D(c), D(nm − c + 1)] of the sorted differences D
  let confidence: number;
  if (exact) {
    pValue = exactPValue(n, m, u);
    c = quantile(n, m, alpha / 2);
    confidence = 1 - 2 * cdf(n, m, c - 1);
  } else {
    const total = n + m;
    const sigma = Math.sqrt((nm / 12) * (total + 1 - tieTerm / (total * (total - 1))));
    const centered = u - nm / 2;
    pValue = sigma === 0 ? 1 : Math.min(1, 2 * normalCdf(-Math.max(0, Math.abs(centered) - 0.5) / sigma));
    // P(U ≤ c − 1) ≈ Φ((c − 1 + ½ − nm/2)/σ) ≤ α/2, with the continuity correction.
    c = Math.floor(nm / 2 + 0.5 - z * sigma);
    confidence = confidenceLevel;
  }

  // Probing first near where the answers should lie saves most selection passes: the
  // shift of the medians, and a normal-theory interval around it; the differences' peak
  // density (nm over √(2π)·their standard deviation) turns a miss into a step.
  const half = nm >> 1;
  const vx = variance(x);
  const vy = variance(y);
  const density = nm / (Math.sqrt(2 * Math.PI * (vx + vy)) || 1);
  const center = (x[n >> 1] as number) - (y[m >> 1] as number);
  let estimate: number;
  if (nm % 2 === 1) estimate = kthDifference(x, y, half + 1, ws, { guess: center, density });
  else {
    const [a, b] = kthDifferencePair(x, y, half, ws, { guess: center, density });
    estimate = (a + b) / 2;
  }
  const spread = z * Math.sqrt(vx / n + vy / m);
  const interval =
    c >= 1
      ? {
          lower: kthDifference(x, y, c, ws, { guess: estimate - spread, density }),
          upper: kthDifference(x, y, nm - c + 1, ws, { guess: estimate + spread, density }),
          confidence,
        }
      : null;
  return { u, pValue, method: exact ? 'exact' : 'normal', estimate, interval };
}

/** The rank sum of x in the pooled sample (ties get their mid-rank), and Σ(t³ − t) over tie groups. */
export function rankSum(x: Float64Array, y: Float64Array): { rankSumX: number; tieTerm: number } {
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let rank = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  while (i < n || j < m) {
    const v = Math.min(i < n ? (x[i] as number) : Infinity, j < m ? (y[j] as number) : Infinity);
    let cx = 0;
    let cy = 0;
    while (i < n && x[i] === v) {
      i++;
      cx++;
    }
    while (j < m && y[j] === v) {
      j++;
      cy++;
    }
    const t = cx + cy;
    rankSumX += cx * (rank + (t + 1) / 2);
    tieTerm += t * t * t - t;
    rank += t;
  }
  return { rankSumX, tieTerm };
}

function variance(a: Float64Array): number {
  if (a.length < 2) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] as number;
  const mean = sum / a.length;
  let squares = 0;
  for (let i = 0; i < a.length; i++) squares += ((a[i] as number) - mean) ** 2;
  return squares / (a.length - 1);
}
