import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { deploymentConfigPayload } from './deployment-config.js';
import { ownedDeployment } from './owned-deployment.js';
import { deploymentIdParams } from './deployment-schemas.js';

const deploymentConfigSchema = z.object({
  deployFile: z.record(z.string(), z.unknown()).describe('The normalized deploy file (defaults filled in, aliases resolved)'),
  context: z.record(z.string(), z.string()),
  manifests: z.array(
    z.object({
      source: z.string().describe('A path relative to the deploy file, or `manifests[i].inline`'),
      targets: z.array(z.string()).optional(),
      objects: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});

/** The deploy file, context and manifests a deployment runs; Secret values are never answered. */
export function registerConfigRoute(api: ApiInstance, { ctx }: RouteDeps): void {
  api.get('/api/v1/deployments/:id/config', {
    config: { access: { resource: 'deployment', access: 'read' } },
    schema: {
      tags: ['deployments'],
      summary: "A deployment's deploy file, context and manifests",
      description: 'Kubernetes Secret objects keep their keys, never their values; `{{secrets.NAME}}` placeholders are shown as written.',
      params: deploymentIdParams,
      response: { 200: deploymentConfigSchema },
    },
  }, async (request) => deploymentConfigPayload(await ownedDeployment(ctx, principalOf(request), request.params.id)));
}
