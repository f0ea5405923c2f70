import { FerryNotFoundError, FerryUnavailableError } from '@ferry/core';
import type { Relay } from '../agent-hub/index.js';
import type { TargetRepository } from '../contracts.js';
import type { PreviewRecord, SqlPreviewRepository } from '../db/previews.js';
import { hashPreviewToken, mintPreviewToken } from './preview-token.js';
import { serviceProxyUpstream, type PreviewUpstream } from './upstream.js';

export interface PreviewLinksOptions {
  previews: SqlPreviewRepository;
  targets: TargetRepository;
  /** The Agent Hub's relay; undefined when the Agent Hub is off (previews then fail clearly). */
  relay: () => Relay | undefined;
  /** The hub's public URL (known only once it listens). */
  publicUrl: () => string;
  upstream?: PreviewUpstream;
  now?: () => number;
}

export interface ExposeRequest {
  tenant: string;
  deploymentId: string;
  /** The deploy file's target name and its account (which must be an `agent` target). */
  target: string;
  account: string;
  namespace: string;
  service: string;
  port: number;
  ttlMs: number;
}

export interface PreviewLink {
  service: string;
  url: string;
  expiresAt: number;
}

/** A preview looked up by its token: live, expired (410) or unknown (404). */
export type PreviewLookup = { state: 'live'; record: PreviewRecord } | { state: 'expired' } | { state: 'unknown' };

export interface PreviewLinks {
  expose(request: ExposeRequest): Promise<PreviewLink>;
  lookup(token: string): Promise<PreviewLookup>;
  readonly relay: () => Relay | undefined;
  readonly upstream: PreviewUpstream;
}

/** Preview links: minted by exposeServices steps, served by `/preview/<token>/…` on every replica. */
export function createPreviewLinks(options: PreviewLinksOptions): PreviewLinks {
  const now = options.now ?? Date.now;
  return {
    relay: options.relay,
    upstream: options.upstream ?? serviceProxyUpstream,
    async expose(request) {
      if (!options.relay()) {
        throw new FerryUnavailableError('exposeServices needs the hub\'s Agent Hub (it relays preview traffic through the target\'s agent), which is off on this hub', { code: 'agent_hub_off' });
      }
      const record = await options.targets.get(request.tenant, request.account);
      if (record?.kind !== 'agent') {
        throw new FerryNotFoundError(`exposeServices needs target "${request.target}" to be served by a Remote Network Agent, but account "${request.account}" of tenant "${request.tenant}" is ${record ? `a ${record.kind} target` : 'no agent target'}`, {
          code: 'preview_needs_agent',
          details: { account: request.account, tenant: request.tenant },
        });
      }
      const token = mintPreviewToken();
      const createdAt = now();
      const expiresAt = createdAt + request.ttlMs;
      await options.previews.create({
        tokenHash: hashPreviewToken(token),
        tenant: request.tenant,
        deploymentId: request.deploymentId,
        target: request.target,
        service: request.service,
        namespace: request.namespace,
        port: request.port,
        agent: record.ref,
        expiresAt,
        createdAt,
      });
      return { service: request.service, url: `${options.publicUrl().replace(/\/+$/, '')}/preview/${token}/`, expiresAt };
    },
    async lookup(token) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'unknown' };
      const record = await options.previews.findByTokenHash(hashPreviewToken(token));
      if (!record) return { state: 'unknown' };
      return record.expiresAt <= now() ? { state: 'expired' } : { state: 'live', record };
    },
  };
}
