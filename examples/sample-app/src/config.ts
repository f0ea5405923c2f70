/** Behaviour switches of the sample app; set from env at start and changed via POST /admin/config. */
export interface AppConfig {
  version: string;
  podName: string;
  /** Fraction (0–1) of `GET /` requests answered with 500. */
  errorRate: number;
  /** Extra delay added to every `GET /` response. */
  latencyMs: number;
  /** When true the readiness probe always answers 503. */
  neverReady: boolean;
}

export function readConfigFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  return {
    version: env.VERSION ?? 'dev',
    podName: env.POD_NAME ?? env.HOSTNAME ?? 'local',
    errorRate: clampRate(Number(env.ERROR_RATE ?? 0)),
    latencyMs: nonNegative(Number(env.LATENCY_MS ?? 0)),
    neverReady: isTrue(env.NEVER_READY),
  };
}

/** Applies a JSON patch body from /admin/config; unknown or ill-typed fields are rejected. */
export function applyConfigPatch(config: AppConfig, patch: unknown): AppConfig | { error: string } {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return { error: 'body must be a JSON object' };
  const next = { ...config };
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'version':
        if (typeof value !== 'string' || value === '') return { error: 'version must be a non-empty string' };
        next.version = value;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return { error: 'errorRate must be a number in [0, 1]' };
        next.errorRate = value;
        break;
      case 'latencyMs':
        if (typeof value !== 'number' || !(value >= 0)) return { error: 'latencyMs must be a number >= 0' };
        next.latencyMs = value;
        break;
      case 'neverReady':
        if (typeof value !== 'boolean') return { error: 'neverReady must be a boolean' };
        next.neverReady = value;
        break;
      default:
        return { error: `unknown field ${key}` };
    }
  }
  return next;
}

function clampRate(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes'].includes(value.toLowerCase());
}
