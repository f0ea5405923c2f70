import type { z } from 'zod';
import type { agentSchema } from './resources/agent-routes.js';
import type { credentialSchema } from './resources/credential-routes.js';
import type { integrationSchema } from './resources/integration-routes.js';
import type { meSchema } from './resources/me-route.js';
import type { grantSchema, roleSchema } from './resources/resource-schemas.js';
import type { secretEntrySchema } from './resources/secret-routes.js';
import type { targetSchema } from './resources/target-routes.js';
import type { tenantSchema } from './resources/tenant-routes.js';
import type { userSchema } from './resources/user-routes.js';

// The REST API's response bodies as TypeScript types, inferred from the same zod schemas that
// serialize them and document them in OpenAPI: a client (the console) checks itself against these.

/** `GET /api/v1/deployments/:id`, one entry of `GET /api/v1/deployments`, one event of a deployment's log and SSE stream. */
export type { DeploymentEventPayload, DeploymentStatusPayload, DeploymentSummaryPayload } from './deployments/deployment-schemas.js';
/** `GET /api/v1/deployments/:id/config`. */
export type { DeploymentConfigPayload } from './deployments/deployment-config.js';
/** `GET /api/v1/me`. */
export type MePayload = z.infer<typeof meSchema>;
export type GrantPayload = z.infer<typeof grantSchema>;
export type RolePayload = z.infer<typeof roleSchema>;
export type CredentialPayload = z.infer<typeof credentialSchema>;
export type SecretEntryPayload = z.infer<typeof secretEntrySchema>;
export type IntegrationPayload = z.infer<typeof integrationSchema>;
export type UserPayload = z.infer<typeof userSchema>;
export type TenantPayload = z.infer<typeof tenantSchema>;
export type AgentPayload = z.infer<typeof agentSchema>;
export type TargetPayload = z.infer<typeof targetSchema>;
export type { ErrorBody as ErrorPayload } from '../server/error-handler.js';
