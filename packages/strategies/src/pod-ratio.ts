/**
 * Replica counts for a canary weight.
 *
 * Pod ratio (no traffic provider): Services select both versions' pods, so the share of
 * traffic the canary gets is canary / (canary + stable). Rounding rules:
 *
 * - weight ≤ 0 → { canary: 0, stable: total }; weight ≥ 100 → { canary: total, stable: 0 }.
 * - 0 < weight < 100 with total ≥ 2: canary = round(total × weight / 100), halves rounding
 *   up, then clamped to [1, total − 1], and stable = total − canary. The clamp keeps both
 *   versions running at every intermediate weight: a canary step with no canary pod would
 *   judge nothing, and one with no stable pod would be 100%. The sum stays `total`, so the
 *   application's capacity does not change during the rollout.
 * - 0 < weight < 100 with total = 1: { canary: 1, stable: 1 } — the only split with both
 *   versions running (50%); this is the one case where canary + stable exceeds total.
 * - total = 0: nothing runs at any weight.
 *
 * The result is monotonic: as the weight grows, canary never shrinks and stable never grows.
 */
export function replicasForWeight(total: number, weight: number): { canary: number; stable: number } {
  const n = Math.max(0, Math.floor(total));
  if (n === 0) return { canary: 0, stable: 0 };
  if (weight <= 0) return { canary: 0, stable: n };
  if (weight >= 100) return { canary: n, stable: 0 };
  if (n === 1) return { canary: 1, stable: 1 };
  const canary = Math.min(n - 1, Math.max(1, Math.floor((n * weight) / 100 + 0.5)));
  return { canary, stable: n - canary };
}

/**
 * Canary replicas when a traffic provider splits traffic: enough pods to carry the
 * canary's share at full capacity, so ceil(total × weight / 100) (at least 1 above weight
 * 0). The stable version keeps all its replicas until promotion, which makes going back
 * instant.
 */
export function canaryReplicasForTrafficWeight(total: number, weight: number): number {
  const n = Math.max(0, Math.floor(total));
  if (weight <= 0 || n === 0) return 0;
  if (weight >= 100) return n;
  // Tolerate float noise such as 3 × 33.333… = 99.999…: round to 1e-9 before the ceiling.
  return Math.min(n, Math.max(1, Math.ceil(Math.round((n * weight) / 100 * 1e9) / 1e9)));
}
