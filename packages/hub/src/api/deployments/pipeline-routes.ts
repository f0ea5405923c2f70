import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { deploymentIdParams, deploymentStatusSchema } from './deployment-schemas.js';
import { deploymentStatusPayload } from './deployment-payload.js';
import { ownedDeployment } from './owned-deployment.js';
import { startDeployment } from './start-deployment.js';

const TAG = ['pipelines (reference CLI)'];

/**
 * The reference CLI's endpoints, so its users' tooling keeps working: the deployment file
 * as a JSON document with manifests inline, answered with `{pipelineId}`.
 */
export function registerPipelineRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  api.post('/pipelines/kubernetes', {
    config: { access: { resource: 'deployment', access: 'write' } },
    schema: {
      tags: TAG,
      summary: 'Start a deployment (reference CLI shape)',
      description: 'The body is the deployment file as JSON (manifests inline). `context` values may be given at the top level as in the file.',
      body: z.record(z.string(), z.unknown()).describe('The deployment file as a JSON object'),
      response: { 202: z.object({ pipelineId: z.string() }) },
    },
  }, async (request, reply) => {
    const document = { version: 'v1', kind: 'kubernetes', ...normalizeInline(request.body) };
    // JSON is YAML: the same loader validates it, with key paths in its diagnostics.
    const record = await startDeployment(ctx, principalOf(request), { deployFile: JSON.stringify(document) });
    return reply.code(202).send({ pipelineId: record.id });
  });

  api.get('/pipelines/:id', {
    config: { access: { resource: 'deployment', access: 'read' } },
    schema: { tags: TAG, summary: "A deployment's status (reference CLI shape)", params: deploymentIdParams, response: { 200: deploymentStatusSchema } },
  }, async (request) => deploymentStatusPayload(await ownedDeployment(ctx, principalOf(request), request.params.id), ctx.baseUrl));
}

/** The reference CLI sends inline manifests as `{inline: {value: "..."}}`; the file format has `{inline: "..."}`. */
function normalizeInline(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.manifests)) return body;
  const manifests = body.manifests.map((entry: unknown) => {
    if (entry && typeof entry === 'object' && 'inline' in entry) {
      const inline = (entry as { inline: unknown }).inline;
      if (inline && typeof inline === 'object' && typeof (inline as { value?: unknown }).value === 'string') {
        return { ...entry, inline: (inline as { value: string }).value };
      }
    }
    return entry;
  });
  return { ...body, manifests };
}
