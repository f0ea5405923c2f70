/** Kayenta's pre-processing of a series before the test: missing values, then outliers. */

export type NanStrategy = 'remove' | 'replace';

/**
 * Drops (`remove`) or zeroes (`replace`) values that are not finite numbers: NaN from the
 * provider, and ±Infinity (a rate divided by zero), which no rank test can place. Returns
 * the kept values sorted ascending (one pass into a typed array: this runs per metric and
 * per side on every judgment).
 */
export function cleanSorted(values: readonly number[], strategy: NanStrategy): { sorted: Float64Array; missing: number } {
  const out = new Float64Array(values.length);
  let kept = 0;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[kept++] = v;
    else {
      missing++;
      if (strategy === 'replace') out[kept++] = 0;
    }
  }
  const sorted = kept === out.length ? out : out.subarray(0, kept);
  return { sorted: sortInPlace(sorted), missing };
}

/** Ciura's gap sequence: Shell sort with it beats the built-in typed-array sort on short series. */
const GAPS = [132, 57, 23, 10, 4, 1];

/**
 * Sorts finite numbers ascending, in place. Series of a few hundred points (the usual case)
 * take a Shell sort, about twice as fast here as `Float64Array.prototype.sort`, which
 * longer ones keep.
 */
export function sortInPlace(a: Float64Array): Float64Array {
  const n = a.length;
  if (n > 300) return a.sort();
  for (const gap of GAPS) {
    for (let i = gap; i < n; i++) {
      const v = a[i] as number;
      let j = i;
      while (j >= gap && (a[j - gap] as number) > v) {
        a[j] = a[j - gap] as number;
        j -= gap;
      }
      a[j] = v;
    }
  }
  return a;
}

/** The p-quantile of sorted values by linear interpolation (R's type 7, Kayenta's IQR detector with reduced sensitivity). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Kayenta's IQR outlier detector: keeps values within [Q1 − f·IQR, Q3 + f·IQR]. Returns
 * a new sorted array (the input is sorted ascending, so the kept values are one slice).
 */
export function removeOutliers(sorted: Float64Array, factor: number): Float64Array {
  if (sorted.length < 4) return sorted; // quartiles of fewer points say nothing about outliers
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const low = q1 - factor * iqr;
  const high = q3 + factor * iqr;
  let start = 0;
  let end = sorted.length;
  while (start < end && (sorted[start] as number) < low) start++;
  while (end > start && (sorted[end - 1] as number) > high) end--;
  return start === 0 && end === sorted.length ? sorted : sorted.slice(start, end);
}

export function mean(sorted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  return sum / sorted.length;
}

export function median(sorted: Float64Array): number {
  return quantileSorted(sorted, 0.5);
}
