import { DEPLOYMENT_STATUSES, FerryInputError, type DeploymentStatus } from '@ferry/core';
import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import {
  deploymentIdParams,
  deploymentStatusSchema,
  deploymentSummarySchema,
  eventsPage,
  eventsQuery,
  listDeploymentsQuery,
  startDeploymentBody,
  startedResponse,
} from './deployment-schemas.js';
import { deploymentLink, deploymentStatusPayload, deploymentSummaryPayload, eventPayload } from './deployment-payload.js';
import { ownedDeployment } from './owned-deployment.js';
import { startDeployment } from './start-deployment.js';

const TAG = ['deployments'];
const read = { access: { resource: 'deployment', access: 'read' } } as const;
const write = { access: { resource: 'deployment', access: 'write' } } as const;

/** Start, read, list a deployment and read its events (JSON pages and server-sent events). */
export function registerDeploymentRoutes(api: ApiInstance, { ctx, streams }: RouteDeps): void {
  api.post('/api/v1/deployments', {
    config: write,
    schema: { tags: TAG, summary: 'Start a deployment', body: startDeploymentBody, response: { 202: startedResponse } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const record = await startDeployment(ctx, principal, request.body);
    return reply.code(202).send({ id: record.id, link: deploymentLink(ctx.baseUrl, record.id) });
  });

  api.get('/api/v1/deployments', {
    config: read,
    schema: { tags: TAG, summary: "List the tenant's deployments, newest first", querystring: listDeploymentsQuery, response: { 200: z.object({ deployments: z.array(deploymentSummarySchema) }) } },
  }, async (request) => {
    const principal = principalOf(request);
    const { application, target, limit } = request.query;
    const status = statusesOf(request.query.status);
    // Target is not a store index: read more and filter here.
    const summaries = await ctx.engine.list({
      tenant: principal.tenant,
      ...(application ? { application } : {}),
      ...(status ? { status } : {}),
      limit: target ? Math.max(limit, 1000) : limit,
    });
    const matching = target ? summaries.filter((s) => target in s.state.targets) : summaries;
    return { deployments: matching.slice(0, limit).map((s) => deploymentSummaryPayload(s, ctx.baseUrl)) };
  });

  api.get('/api/v1/deployments/:id', {
    config: read,
    schema: { tags: TAG, summary: 'A deployment\'s status', params: deploymentIdParams, response: { 200: deploymentStatusSchema } },
  }, async (request) => deploymentStatusPayload(await ownedDeployment(ctx, principalOf(request), request.params.id), ctx.baseUrl));

  api.get('/api/v1/deployments/:id/events', {
    config: read,
    schema: { tags: TAG, summary: "A page of a deployment's event log", params: deploymentIdParams, querystring: eventsQuery, response: { 200: eventsPage } },
  }, async (request) => {
    await ownedDeployment(ctx, principalOf(request), request.params.id);
    const { afterSeq, limit } = request.query;
    const events = await ctx.engine.listEvents(request.params.id, { afterSeq, limit });
    return { events: events.map(eventPayload), nextAfterSeq: events.at(-1)?.seq ?? afterSeq };
  });

  api.get('/api/v1/deployments/:id/events/stream', {
    config: read,
    schema: {
      tags: TAG,
      summary: "A deployment's events as server-sent events",
      description: 'Replays the log after `afterSeq` (or the `Last-Event-ID` header on a reconnect), then streams live events; ends after `deployment.completed`. Each event\'s id is its seq; a comment line every 15 s keeps the connection alive.',
      params: deploymentIdParams,
      querystring: z.object({ afterSeq: z.coerce.number().int().min(0).default(0) }),
      headers: z.object({ 'last-event-id': z.string().regex(/^\d+$/, 'must be an event seq (a whole number)').optional() }).passthrough(),
    },
  }, async (request, reply) => {
    await ownedDeployment(ctx, principalOf(request), request.params.id);
    const lastEventId = request.headers['last-event-id'];
    const afterSeq = typeof lastEventId === 'string' ? Number(lastEventId) : request.query.afterSeq;
    reply.hijack();
    await streams.stream(reply.raw, request.params.id, afterSeq);
  });
}

function statusesOf(text: string | undefined): DeploymentStatus[] | undefined {
  if (!text) return undefined;
  const statuses = text.split(',').map((s) => s.trim().toUpperCase());
  const unknown = statuses.filter((s) => !(DEPLOYMENT_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new FerryInputError(`querystring.status: unknown status ${unknown.join(', ')} (one of ${DEPLOYMENT_STATUSES.join(', ')})`, { code: 'invalid_request' });
  }
  return statuses as DeploymentStatus[];
}
