import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import Provider, { errors } from 'oidc-provider';
import type { JWK } from 'jose';
import type { CredentialRecord, UserRecord } from '../contracts.js';
import { API_AUDIENCE, API_RESOURCE, CLI_CLIENT_ID, CONSOLE_CLIENT_ID, PRINCIPAL_CLAIM } from './constants.js';
import { userCodeConfirmPage, userCodeInputPage, messagePage } from './html.js';

export interface ProviderLookups {
  userById(id: string): Promise<UserRecord | null>;
  credential(clientId: string): Promise<CredentialRecord | null>;
}

export interface ProviderConfigOptions {
  mountPath: string;
  signingKeys: { keys: JWK[] };
  cookieKeys: string[];
  accessTokenTtlSeconds: number;
  consoleRedirectUris: string[];
  adapter: Configuration['adapter'];
  lookups: ProviderLookups;
}

/**
 * oidc-provider's configuration: the grants Ferry uses (client credentials, device flow,
 * authorization code + PKCE, refresh), JWT access tokens for the `ferry-api` audience with
 * `tenant` and `roles` claims, and the embedded login's pages.
 */
export function providerConfiguration(options: ProviderConfigOptions): Configuration {
  const { lookups } = options;
  const ttl = options.accessTokenTtlSeconds;
  return {
    adapter: options.adapter,
    jwks: options.signingKeys as Configuration['jwks'],
    cookies: { keys: options.cookieKeys },
    clients: [
      {
        client_id: CLI_CLIENT_ID,
        client_name: 'Ferry CLI',
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'Ferry console',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.consoleRedirectUris,
      },
    ],
    scopes: ['openid', 'offline_access', 'email'],
    claims: { openid: ['sub'], email: ['email'] },
    pkce: { required: () => true },
    findAccount: async (_ctx, sub) => {
      const user = await lookups.userById(sub);
      if (!user || user.invited) return undefined;
      return { accountId: user.id, claims: async () => ({ sub: user.id, email: user.email }) };
    },
    extraTokenClaims: async (_ctx, token) => {
      // Only access tokens for the API carry who the caller is in Ferry's terms.
      if (token.kind === 'ClientCredentials') {
        const credential = token.clientId ? await lookups.credential(token.clientId) : null;
        if (!credential) return undefined;
        return { tenant: credential.tenant, roles: credential.roles, [PRINCIPAL_CLAIM]: `client:${credential.clientId}` };
      }
      const accountId = (token as { accountId?: string }).accountId;
      if (!accountId) return undefined;
      const user = await lookups.userById(accountId);
      if (!user) return undefined;
      return { tenant: user.tenant, roles: user.roles, email: user.email, [PRINCIPAL_CLAIM]: `user:${user.id}` };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx: KoaContextWithOIDC, form: string, _out: unknown, err: unknown) => {
          const message = err ? describeUserCodeError(err) : undefined;
          ctx.body = userCodeInputPage(form, message);
        },
        userCodeConfirmSource: async (ctx: KoaContextWithOIDC, form: string, client: { clientName?: string; clientId: string }, _info: unknown, userCode: string) => {
          ctx.body = userCodeConfirmPage(form, client.clientName ?? client.clientId, userCode);
        },
        successSource: async (ctx: KoaContextWithOIDC) => {
          ctx.body = messagePage('Signed in', 'Your device is signed in. You can close this window and go back to your terminal.');
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every token is for the hub's API unless a client asks otherwise (and only the API exists).
        defaultResource: async () => API_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator, client) => {
          if (resourceIndicator !== API_RESOURCE) throw new errors.InvalidTarget();
          // A machine credential may carry its own token lifetime; the CLI's and console's tokens keep the hub's.
          const builtIn = client.clientId === CLI_CLIENT_ID || client.clientId === CONSOLE_CLIENT_ID;
          const credential = builtIn ? null : await lookups.credential(client.clientId);
          const accessTokenTTL = credential?.tokenTtlSeconds ?? ttl;
          return { scope: 'api', audience: API_AUDIENCE, accessTokenTTL, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    } as Configuration['features'],
    ttl: {
      // The API's resource server sets the lifetime (a credential's own, or the hub's default).
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      AuthorizationCode: 60,
      DeviceCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    interactions: {
      url: async (_ctx, interaction) => `${options.mountPath}/interaction/${interaction.uid}`,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Sign-in error', String(out.error_description ?? out.error ?? 'The request failed.'));
    },
  };
}

function describeUserCodeError(err: unknown): string {
  const name = (err as { name?: string; userCode?: string }).name;
  if ((err as { userCode?: string }).userCode || name === 'NoCodeError') return 'That code is not valid. Check it and try again.';
  if (name === 'AbortedError') return 'The sign-in was cancelled.';
  return 'The request could not be processed. Try again.';
}

export { Provider };
