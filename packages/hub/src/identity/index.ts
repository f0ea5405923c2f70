export { createIdentity, type IdentityOptions } from './create-identity.js';
export { ensureBootstrapAdmin, ORGANIZATION_ADMIN_ROLE, type BootstrapAdminOptions } from './bootstrap.js';
export { HubTokenVerifier, type ExternalIdpOptions } from './verifier.js';
export { API_AUDIENCE, API_RESOURCE, CLI_CLIENT_ID, CONSOLE_CLIENT_ID } from './constants.js';
