/**
 * The standard normal distribution, to double precision: the asymptotic Mann-Whitney
 * p-value and confidence interval need Φ and its inverse, and no dependency is worth it
 * for two functions.
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(z) for z ≥ 0. A positive series below 2.5 (no cancellation), a continued fraction above. */
function erfcNonNegative(z: number): number {
  if (z < 2.5) {
    // erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)); every term is positive.
    let term = z;
    let sum = z;
    const twoZ2 = 2 * z * z;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= twoZ2 / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-z * z) * sum;
  }
  // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated backwards.
  let f = z;
  for (let k = 120; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / (SQRT_PI * f);
}

/** Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? 1 - erfcNonNegative(x / SQRT2) / 2 : erfcNonNegative(-x / SQRT2) / 2;
}

/** φ(x), the density. */
function normalPdf(x: number): number {
  return Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
}

/**
 * Φ⁻¹(p) for 0 < p < 1, by Newton's method from 0: Φ is concave right of 0, so the
 * iterates approach the root from below without overshooting (the lower half by symmetry).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  if (p < 0.5) return -normalQuantile(1 - p);
  let x = 0;
  for (let i = 0; i < 200; i++) {
    const step = (normalCdf(x) - p) / normalPdf(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
