import type { IncomingMessage, ServerResponse } from 'node:http';
import { FerryInputError } from '@ferry/core';
import type { HubRepositories, Identity, UserRecord } from '../contracts.js';
import type { HubDatabase } from '../db/open-hub-database.js';
import { toUserRecord } from '../db/users.js';
import { CredentialClientAdapter } from './credential-client-adapter.js';
import { LoginInteractions } from './interactions.js';
import { SqlOidcAdapter } from './oidc-adapter.js';
import { loadOrCreateCookieKeys, loadOrCreateSigningKeys } from './persisted-keys.js';
import { Provider, providerConfiguration, type ProviderLookups } from './provider-config.js';
import { HubTokenVerifier, type ExternalIdpOptions } from './verifier.js';
import { messagePage } from './html.js';

export interface IdentityOptions {
  /** e.g. `https://127.0.0.1:8443/oidc`: the `iss` of every token; its path is where `handle` is mounted. */
  issuer: string;
  database: HubDatabase;
  repositories: HubRepositories;
  /** Keys for signed cookies; default: generated once and kept in the database. */
  cookieKeys?: string[];
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** The console's redirect URIs (authorization code + PKCE). Default: `<origin>/console/callback`. */
  consoleRedirectUris?: string[];
  /** Seals the persisted signing keys at rest when given (recommended: the hub's master key). */
  masterKey?: Buffer;
  /** Also accept access tokens from this IdP (tenant and roles from its claims). */
  externalIdp?: ExternalIdpOptions;
}

/** The hub's OIDC service over oidc-provider, storing everything in the hub's database. */
export async function createIdentity(options: IdentityOptions): Promise<Identity> {
  const issuerUrl = parseIssuer(options.issuer);
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');
  const { db } = options.database;

  const lookups: ProviderLookups = {
    userById: async (id) => findUserById(options.database, id),
    credential: (clientId) => options.repositories.credentials.get(clientId),
  };
  const signingKeys = await loadOrCreateSigningKeys(db, options.masterKey);
  const cookieKeys = options.cookieKeys ?? (await loadOrCreateCookieKeys(db, options.masterKey));

  const provider = new Provider(
    options.issuer,
    providerConfiguration({
      mountPath,
      signingKeys: signingKeys.privateJwks,
      cookieKeys,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      consoleRedirectUris: options.consoleRedirectUris ?? [`${issuerUrl.origin}/console/callback`],
      adapter: (name: string) => (name === 'Client' ? new CredentialClientAdapter(options.repositories.credentials) : new SqlOidcAdapter(db, name)),
      lookups,
    }),
  );
  const callback = provider.callback();
  const interactions = new LoginInteractions(provider, options.repositories.users, mountPath);
  const verifier = new HubTokenVerifier({
    issuer: options.issuer,
    publicJwks: signingKeys.publicJwks,
    lookups,
    roles: options.repositories.roles,
    ...(options.externalIdp ? { externalIdp: options.externalIdp } : {}),
  });

  return {
    issuer: options.issuer,
    verifier,
    handle(req: IncomingMessage, res: ServerResponse): void {
      const url = req.url ?? '/';
      if (!(url === mountPath || url.startsWith(`${mountPath}/`) || url.startsWith(`${mountPath}?`))) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(messagePage('Not found', 'There is nothing here.'));
        return;
      }
      const below = url.slice(mountPath.length) || '/';
      if (below.startsWith('/interaction/')) {
        interactions.handle(req, res, below).catch(() => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
          res.end(messagePage('Sign-in error', 'The sign-in could not be completed. Try again.'));
        });
        return;
      }
      // oidc-provider finds its mount point from originalUrl vs url (the Express convention).
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = below;
      void callback(req, res);
    },
    async close() {
      // Nothing to stop: the provider holds no timers or connections; the database is the caller's.
    },
  };
}

async function findUserById(database: HubDatabase, id: string): Promise<UserRecord | null> {
  const row = await database.db.selectFrom('ferry_hub_users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUserRecord(row) : null;
}

function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new FerryInputError(`issuer: "${issuer}" is not a URL`, { code: 'invalid_issuer' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FerryInputError('issuer: must be an https URL', { code: 'invalid_issuer' });
  if (url.search || url.hash) throw new FerryInputError('issuer: must have no query or fragment', { code: 'invalid_issuer' });
  return url;
}
