import { FerryInputError, FerryNotFoundError, FerryUnavailableError, type Json, type StepKindV1, type StepOutcomeV1 } from '@ferry/core';
import type { PreviewLinks } from './preview-links.js';

/** When a deploy file gives no ttl. */
export const DEFAULT_PREVIEW_TTL_MS = 30 * 60_000;

interface ExposeConfig {
  services: string[];
  ttl?: { ms: number };
}

type PreviewState = { previews: Record<string, { url: string; expiresAt: number }> };

/**
 * `exposeServices`: a preview link per Service, relayed through the target's agent, valid
 * for the ttl. The step's state keeps the links, so a re-run (after a crash) hands back the
 * same ones; `{{armory.preview.SVC}}` is read from that state (see README).
 */
export function exposeServicesStepKind(links: PreviewLinks | undefined): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: 'exposeServices',
    validate(config, { path }) {
      const services = (config as Partial<ExposeConfig> | undefined)?.services;
      if (!Array.isArray(services) || services.length === 0 || services.some((s) => typeof s !== 'string' || s.length === 0)) {
        throw new FerryInputError(`${path}.services: list at least one Service name`, { code: 'invalid_step' });
      }
      return undefined;
    },
    async run(ctx): Promise<StepOutcomeV1> {
      if (!links) {
        throw new FerryUnavailableError('exposeServices needs a Ferry hub with an Agent Hub (preview links are served by the hub and relayed through the target\'s agent); this engine has none', { code: 'previews_unavailable' });
      }
      const done = ctx.state as PreviewState | undefined;
      if (done?.previews) return { status: 'succeeded', state: done as unknown as Json };
      const config = ctx.step.config as unknown as ExposeConfig;
      const ttlMs = config.ttl?.ms && config.ttl.ms > 0 ? config.ttl.ms : DEFAULT_PREVIEW_TTL_MS;
      const cluster = await ctx.cluster();
      const previews: PreviewState['previews'] = {};
      const events = [];
      for (const service of config.services) {
        const object = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: service, namespace: ctx.target.namespace }, { signal: ctx.signal });
        const ports = ((object?.spec as { ports?: Array<{ port?: number }> } | undefined)?.ports ?? []).map((p) => p.port).filter((p): p is number => typeof p === 'number');
        if (!object || ports.length === 0) {
          throw new FerryNotFoundError(`exposeServices: Service "${service}" ${object ? 'has no ports' : 'does not exist'} in namespace "${ctx.target.namespace}" of target "${ctx.target.name}"`, { code: 'service_not_found' });
        }
        const link = await links.expose({
          tenant: ctx.tenant ?? 'default',
          deploymentId: ctx.deploymentId,
          target: ctx.target.name,
          account: ctx.target.account,
          namespace: ctx.target.namespace,
          service,
          port: ports[0] as number,
          ttlMs,
        });
        previews[service] = { url: link.url, expiresAt: link.expiresAt };
        events.push({ type: 'preview.exposed', data: { service, url: link.url, expiresAt: link.expiresAt, expiresAtIso: new Date(link.expiresAt).toISOString() } });
      }
      return { status: 'succeeded', state: { previews } as unknown as Json, events };
    },
  };
}
