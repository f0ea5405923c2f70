/** The resource indicator the hub's API answers to (oidc-provider wants an absolute URI). */
export const API_RESOURCE = 'urn:ferry:api';
/** The `aud` of every access token for the hub's API. */
export const API_AUDIENCE = 'ferry-api';
/** `ferry login`'s public client (device authorization grant). */
export const CLI_CLIENT_ID = 'ferry-cli';
/** The web console's public client (authorization code + PKCE). */
export const CONSOLE_CLIENT_ID = 'ferry-console';
/** The claim naming who a hub token is for: `user:<id>` or `client:<clientId>`. */
export const PRINCIPAL_CLAIM = 'ferry_principal';
