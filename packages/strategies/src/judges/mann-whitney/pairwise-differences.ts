/**
 * Order statistics of the n·m pairwise differences x[i] − y[j] without forming them: the
 * Hodges-Lehmann estimate and its confidence interval are such order statistics, and
 * sorting 10,000 differences per metric would cost far more than the test itself.
 *
 * With x and y sorted ascending, row i of B[i][c] = x[i] − y[m−1−c] ascends in c and
 * column c ascends in i (floating-point subtraction is monotone, so this holds for the
 * computed values too). So "how many differences are ≤ p" takes one O(n + m) walk along
 * the boundary. Selection keeps a value bracket (lo, hi] holding the answer, narrows it by
 * interpolating the target rank between the bracket's counts (falling back to halving when
 * a step gains little), and once few differences remain inside, gathers and sorts them.
 */

export interface Workspace {
  /** Per row: how many differences are ≤ the bracket's low / high value. */
  lowCounts: Int32Array;
  highCounts: Int32Array;
  probe: Int32Array;
  gathered: Float64Array;
}

export function workspace(n: number): Workspace {
  return { lowCounts: new Int32Array(n), highCounts: new Int32Array(n), probe: new Int32Array(n), gathered: new Float64Array(0) };
}

/** #{(i, j): x[i] − y[j] ≤ p}, with the per-row counts written to `out`. */
function countAtMost(x: Float64Array, y: Float64Array, p: number, out: Int32Array): number {
  const n = x.length;
  const m = y.length;
  let total = 0;
  let c = m;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    while (c > 0 && xi - (y[m - c] as number) > p) c--;
    out[i] = c;
    total += c;
  }
  return total;
}

/**
 * The k-th smallest (1-based) of x[i] − y[j], and the (k+1)-th when `pair` is set (a median
 * of an even count needs both); x and y sorted ascending and non-empty. `hint` is where
 * to probe first and how many differences lie per unit near it (any numbers: good ones save
 * passes, bad ones cost a few). The workspace must have room for x.length rows.
 */
export function kthDifference(x: Float64Array, y: Float64Array, k: number, ws: Workspace = workspace(x.length), hint?: Hint): number {
  return select(x, y, k, false, ws, hint)[0];
}

export interface Hint {
  guess: number;
  /** Differences per unit of value around the guess; 0 or less = unknown. */
  density: number;
}

/** The k-th and (k+1)-th smallest differences. */
export function kthDifferencePair(x: Float64Array, y: Float64Array, k: number, ws: Workspace = workspace(x.length), hint?: Hint): [number, number] {
  const [a, b] = select(x, y, k, true, ws, hint);
  return [a, b ?? kthDifference(x, y, k + 1, ws, { guess: a, density: 0 })];
}

function select(x: Float64Array, y: Float64Array, k: number, pair: boolean, ws: Workspace, hint: Hint | undefined): [number, number | undefined] {
  const n = x.length;
  const m = y.length;
  if (!(k >= 1 && k <= n * m)) throw new RangeError(`kthDifference: k=${k} outside 1..${n * m}`);
  let { lowCounts, highCounts, probe } = ws;
  // The bracket starts as (−∞, max]: no difference is ≤ −∞, all are ≤ the largest.
  let lowValue = (x[0] as number) - (y[m - 1] as number); // the minimum, for interpolation only
  let lowCount = 0;
  lowCounts.fill(0, 0, n);
  let highValue = (x[n - 1] as number) - (y[0] as number);
  let highCount = n * m;
  highCounts.fill(m, 0, n);
  let halve = false;
  let next = hint?.guess;
  let first = true;
  const gatherLimit = 2 * (n + m);
  while (highCount - lowCount > gatherLimit) {
    let p = next ?? (halve ? lowValue + (highValue - lowValue) / 2 : lowValue + ((highValue - lowValue) * (k - lowCount - 0.5)) / (highCount - lowCount));
    next = undefined;
    if (!(p > lowValue && p < highValue)) p = lowValue + (highValue - lowValue) / 2;
    // No double strictly inside (lowValue, highValue): every difference left in the bracket
    // equals highValue (unless the low end is still −∞ and the minimum lies at lowValue).
    if (!(p > lowValue && p < highValue)) {
      const value = lowCount === 0 && countAtMost(x, y, lowValue, probe) >= k ? lowValue : highValue;
      return [value, undefined];
    }
    const before = highCount - lowCount;
    const count = countAtMost(x, y, p, probe);
    if (count >= k) {
      highValue = p;
      highCount = count;
      [highCounts, probe] = [probe, highCounts];
    } else {
      lowValue = p;
      lowCount = count;
      [lowCounts, probe] = [probe, lowCounts];
    }
    halve = !halve && highCount - lowCount > before / 2;
    // After the first probe, step by the expected distance to the target (a little beyond,
    // so that the two probes bracket it) rather than interpolating towards a far extreme.
    if (first && hint !== undefined && hint.density > 0) next = p + (1.25 * (k - count - 0.5)) / hint.density;
    first = false;
  }
  ws.lowCounts = lowCounts;
  ws.highCounts = highCounts;
  ws.probe = probe;
  // Gather the differences in the bracket: in row i, columns lowCounts[i]..highCounts[i]−1.
  const size = highCount - lowCount;
  if (ws.gathered.length < size) ws.gathered = new Float64Array(Math.max(size, 2 * ws.gathered.length));
  const gathered = ws.gathered;
  let g = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const end = highCounts[i] as number;
    for (let c = lowCounts[i] as number; c < end; c++) gathered[g++] = xi - (y[m - 1 - c] as number);
  }
  const target = k - lowCount - 1;
  const value = quickselect(gathered, g, target);
  if (!pair || target + 1 >= g) return [value, undefined];
  // After quickselect everything right of `target` is ≥ it: the next one is their minimum.
  let following = Infinity;
  for (let i = target + 1; i < g; i++) if ((gathered[i] as number) < following) following = gathered[i] as number;
  return [value, following];
}

/** Hoare's selection: puts the `target`-th smallest (0-based) of a[0..length) at a[target]. */
function quickselect(a: Float64Array, length: number, target: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else break;
  }
  return a[target] as number;
}
