/**
 * The exact null distribution of the Mann-Whitney U statistic for samples of sizes n and m
 * without ties (R's `pwilcox`/`qwilcox`), as P(U ≤ u) for u up to ⌊nm/2⌋; the upper half
 * follows by symmetry (P(U ≥ u) = P(U ≤ nm − u)).
 */

/** R uses the exact distribution below 50 points a side; above, the normal approximation is as good. */
export const EXACT_MAX_SIZE = 49;

const cache = new Map<string, Float64Array>();
const CACHE_LIMIT = 256;

/**
 * P(U ≤ u) for u = 0..⌊nm/2⌋. Counts f(n, m, u) of orderings with U = u follow
 * f(n, m, u) = f(n−1, m, u−m) + f(n, m−1, u) (the largest value is an x, beating all m y's,
 * or a y); only additions, so no precision is lost to cancellation. O(n·m·nm/2), cached per
 * size pair (judgments repeat the same sizes).
 */
export function lowerTail(n: number, m: number): Float64Array {
  const [a, b] = n <= m ? [n, m] : [m, n]; // U's distribution is the same for (n, m) and (m, n)
  const key = `${a},${b}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const half = Math.floor((a * b) / 2);
  // g[k] holds f(k, mp, ·) for the current number mp of y's.
  const g = Array.from({ length: a + 1 }, () => {
    const row = new Float64Array(half + 1);
    row[0] = 1;
    return row;
  });
  for (let mp = 1; mp <= b; mp++) {
    for (let k = 1; k <= a; k++) {
      const row = g[k] as Float64Array;
      const below = g[k - 1] as Float64Array;
      for (let u = mp; u <= half; u++) row[u] = (row[u] as number) + (below[u - mp] as number);
    }
  }
  const counts = g[a] as Float64Array;
  const total = binomial(a + b, a);
  const cumulative = new Float64Array(half + 1);
  let running = 0;
  for (let u = 0; u <= half; u++) {
    running += counts[u] as number;
    cumulative[u] = running / total;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, cumulative);
  return cumulative;
}

/** C(n, k) as a double: each partial product is C(n−k+i, i), exact while below 2^53. */
export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** P(U ≤ u) for any u in 0..nm. */
export function cdf(n: number, m: number, u: number): number {
  if (u < 0) return 0;
  if (u >= n * m) return 1;
  const tail = lowerTail(n, m);
  const half = tail.length - 1;
  if (u <= half) return tail[u] as number;
  // P(U ≤ u) = 1 − P(U ≥ u+1) = 1 − P(U ≤ nm − u − 1).
  return 1 - (tail[n * m - u - 1] as number);
}

/** Two-sided exact p-value of U (R: 2·min(P(U ≤ u), P(U ≥ u)), at most 1). */
export function exactPValue(n: number, m: number, u: number): number {
  const lower = Math.min(u, n * m - u);
  return Math.min(1, 2 * cdf(n, m, lower));
}

/** The smallest u with P(U ≤ u) ≥ p, for p < 1/2 (R: qwilcox). */
export function quantile(n: number, m: number, p: number): number {
  const tail = lowerTail(n, m);
  const target = p - 10 * Number.EPSILON; // R's fuzz, so that an exact hit counts
  for (let u = 0; u < tail.length; u++) if ((tail[u] as number) >= target) return u;
  return tail.length - 1;
}
