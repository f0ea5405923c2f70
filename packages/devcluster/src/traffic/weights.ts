/** A destination with a routing weight and the loopback endpoints that serve it. */
export interface Backend {
  /** The Service (or Service + Istio subset) traffic is routed to. */
  service: string;
  weight: number;
  endpoints: LocalEndpoint[];
}

export interface LocalEndpoint {
  namespace: string;
  pod: string;
  /** 127.0.0.1 port of the pod's local process, when the node runs one. */
  port?: number;
  replicaset?: string;
}

/**
 * Smooth weighted round-robin (as nginx and Envoy's WRR do): over any window the picks follow
 * the weights as closely as integers allow, so an observed split can be checked against them
 * tightly. Keys are remembered across calls, so weights may change between picks.
 */
export class WeightedRoundRobin {
  private readonly current = new Map<string, number>();

  pick<T extends { key: string; weight: number }>(items: readonly T[]): T | undefined {
    let total = 0;
    let best: T | undefined;
    let bestScore = -Infinity;
    for (const item of items) {
      const weight = Math.max(0, item.weight);
      if (weight === 0) continue;
      total += weight;
      const score = (this.current.get(item.key) ?? 0) + weight;
      this.current.set(item.key, score);
      if (score > bestScore) {
        bestScore = score;
        best = item;
      }
    }
    if (best) this.current.set(best.key, bestScore - total);
    return best;
  }
}

/** Round-robin over a list that may change between calls (IPVS's default scheduler for a Service). */
export class RoundRobin {
  private next = 0;

  pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    const item = items[this.next % items.length];
    this.next = (this.next + 1) % 1_000_000_007;
    return item;
  }
}

/** SMI v1alpha1 weights may be quantities like "500m"; later versions are plain integers. */
export function parseWeight(value: unknown, fallback: number): number {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : fallback;
  if (typeof value !== 'string' || value === '') return fallback;
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(value.trim());
  if (!match) return fallback;
  return Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
}
