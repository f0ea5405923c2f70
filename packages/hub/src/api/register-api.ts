import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { parse as parseYaml } from 'yaml';
import { FerryInputError } from '@ferry/core';
import type { ApiContext } from '../contracts.js';
import { createAccessGate } from './access.js';
import { withZod, type RouteDeps } from './api-types.js';
import { registerActionRoutes } from './deployments/action-routes.js';
import { registerConfigRoute } from './deployments/config-route.js';
import { registerDeploymentRoutes } from './deployments/deployment-routes.js';
import { registerPipelineRoutes } from './deployments/pipeline-routes.js';
import { registerValidateRoute } from './deployments/validate-route.js';
import { EventFanout } from './events/event-fanout.js';
import { EventStreams } from './events/event-stream.js';
import { registerAgentRoutes } from './resources/agent-routes.js';
import { registerCredentialRoutes } from './resources/credential-routes.js';
import { registerIntegrationRoutes } from './resources/integration-routes.js';
import { registerMeRoute } from './resources/me-route.js';
import { registerRoleRoutes } from './resources/role-routes.js';
import { registerSecretRoutes } from './resources/secret-routes.js';
import { registerTargetRoutes } from './resources/target-routes.js';
import { registerTenantRoutes } from './resources/tenant-routes.js';
import { registerUserRoutes } from './resources/user-routes.js';
import { formatValidationError } from './validation-error.js';

export interface ApiOptions {
  /** How often a watched deployment's log is read for events other replicas wrote. Default 1000 ms. */
  eventPollIntervalMs?: number;
  /** SSE heartbeat comments. Default 15 s. */
  heartbeatIntervalMs?: number;
}

export const OPENAPI_PATH = '/api/openapi.json';

/**
 * Registers the REST API on the hub's server: every route behind one access gate, zod
 * schemas validating requests and responses and generating the OpenAPI document served at
 * `/api/openapi.json`. Errors are thrown as FerryErrors for the server's error handler.
 */
export async function registerApi(app: FastifyInstance, ctx: ApiContext, options: ApiOptions = {}): Promise<void> {
  await app.register(async (api) => {
    api.setValidatorCompiler(validatorCompiler);
    api.setSerializerCompiler(serializerCompiler);
    api.setSchemaErrorFormatter(formatValidationError);
    api.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseYaml(body as string, { maxAliasCount: 100 }));
      } catch (error) {
        done(new FerryInputError(`body: not valid YAML: ${(error as Error).message}`, { code: 'invalid_request' }), undefined);
      }
    });
    await api.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'Ferry hub API', version: '1', description: "Ferry's control plane: deployments, targets, integrations, credentials, secrets, roles, tenants, users and agents." },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    api.addHook('onRequest', createAccessGate(ctx));

    const fanout = new EventFanout(ctx.engine, options.eventPollIntervalMs !== undefined ? { pollIntervalMs: options.eventPollIntervalMs } : {});
    const streams = new EventStreams(ctx.engine, fanout, options.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {});
    // Open event streams would hold the server open: end them first (clients resume with Last-Event-ID).
    api.addHook('preClose', async () => {
      streams.closeAll();
      fanout.close();
    });

    const deps: RouteDeps = { ctx, streams };
    const routes = withZod(api);
    for (const register of [
      registerDeploymentRoutes,
      registerConfigRoute,
      registerPipelineRoutes,
      registerActionRoutes,
      registerValidateRoute,
      registerTargetRoutes,
      registerIntegrationRoutes,
      registerCredentialRoutes,
      registerSecretRoutes,
      registerRoleRoutes,
      registerTenantRoutes,
      registerUserRoutes,
      registerAgentRoutes,
      registerMeRoute,
    ]) {
      register(routes, deps);
    }

    routes.get(OPENAPI_PATH, { config: { access: { public: true } }, schema: { hide: true } }, async () => api.swagger());
  });
}
