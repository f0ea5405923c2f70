import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; throws (or rejects) with the reason otherwise. */
  check(): Promise<void>;
}

/** How long one readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/health/liveness`: the process answers. `/health/readiness`: every check passes and the
 * hub is not draining (503 otherwise), so a load balancer stops sending traffic first.
 */
export function registerHealthRoutes(app: FastifyInstance, options: { checks: ReadinessCheck[]; draining: () => boolean }): void {
  app.get('/health/liveness', { logLevel: 'warn' }, async () => ({ status: 'UP' }));
  app.get('/health/readiness', { logLevel: 'warn' }, async (_request, reply) => {
    if (options.draining()) return reply.code(503).send({ status: 'DRAINING', checks: {} });
    const results = await Promise.all(options.checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const checks = Object.fromEntries(results);
    const healthy = results.every(([, r]) => r.status === 'UP');
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'UP' : 'DOWN', checks });
  });
}

async function runCheck(check: ReadinessCheck): Promise<{ status: 'UP' } | { status: 'DOWN'; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'UP' };
  } catch (error) {
    return { status: 'DOWN', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
