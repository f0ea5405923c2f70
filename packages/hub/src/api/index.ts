export { registerApi, OPENAPI_PATH, type ApiOptions } from './register-api.js';
export type { RouteAccess } from './access.js';
export type { DeploymentStatusPayload } from './deployments/deployment-schemas.js';
