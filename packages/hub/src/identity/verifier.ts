import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { FerryUnauthenticatedError } from '@ferry/core';
import type { Principal, RoleRepository, TokenVerifier } from '../contracts.js';
import { API_AUDIENCE, PRINCIPAL_CLAIM } from './constants.js';
import type { ProviderLookups } from './provider-config.js';

export interface ExternalIdpOptions {
  /** The IdP's issuer; its discovery document names its JWKS. */
  issuer: string;
  /** Default `ferry-api`. */
  audience?: string;
  /** The claim holding the tenant. Default `tenant`. */
  tenantClaim?: string;
  /** The claim holding the role names (array or space-separated). Default `roles`. */
  rolesClaim?: string;
}

export interface HubTokenVerifierOptions {
  issuer: string;
  publicJwks: JSONWebKeySet;
  lookups: ProviderLookups;
  roles: Pick<RoleRepository, 'grantsOf'>;
  externalIdp?: ExternalIdpOptions;
}

/**
 * Verifies access tokens in-process: the hub's own (against its JWKS from the database, no
 * HTTP) or an external IdP's (JWKS discovered and cached). The caller's user or credential
 * is looked up on every call so a deleted one is refused at once, and its current roles
 * resolve to grants.
 */
export class HubTokenVerifier implements TokenVerifier {
  readonly #options: HubTokenVerifierOptions;
  readonly #localKeys: JWTVerifyGetKey;
  /** The hub's own tokens whose signature and claims verified, by token: the keys are fixed for this verifier's life, so a signature that verified once still does (expiry is checked on every use). */
  readonly #verifiedOwn = new Map<string, JWTPayload>();
  #externalKeys: Promise<JWTVerifyGetKey> | undefined;

  constructor(options: HubTokenVerifierOptions) {
    this.#options = options;
    this.#localKeys = createLocalJWKSet(options.publicJwks);
  }

  async verify(accessToken: string): Promise<Principal> {
    if (typeof accessToken !== 'string' || accessToken.length === 0) throw unauthenticated('missing_token', 'no access token');
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(accessToken).iss;
    } catch {
      throw unauthenticated('invalid_token', 'the access token is not a JWT');
    }
    if (issuer === this.#options.issuer) return this.#verifyOwn(accessToken);
    const external = this.#options.externalIdp;
    if (external && issuer === external.issuer) return this.#verifyExternal(accessToken, external);
    throw unauthenticated('invalid_token', 'the access token was issued by an unknown issuer');
  }

  async #verifyOwn(token: string): Promise<Principal> {
    const payload = await this.#verifiedOwnPayload(token);
    const principal = payload[PRINCIPAL_CLAIM];
    if (typeof principal !== 'string') throw unauthenticated('invalid_token', 'the access token names no Ferry principal');
    const expiresAt = (payload.exp as number) * 1000;
    const { lookups, roles } = this.#options;

    if (principal.startsWith('client:')) {
      const credential = await lookups.credential(principal.slice('client:'.length));
      if (!credential) throw unauthenticated('credential_revoked', 'the credential of this access token no longer exists');
      return {
        subject: principal,
        kind: 'machine',
        name: credential.name,
        tenant: credential.tenant,
        roles: credential.roles,
        grants: await roles.grantsOf(credential.tenant, credential.roles),
        expiresAt,
      };
    }
    if (principal.startsWith('user:')) {
      const user = await lookups.userById(principal.slice('user:'.length));
      if (!user || user.invited) throw unauthenticated('user_removed', 'the user of this access token no longer exists');
      return {
        subject: principal,
        kind: 'user',
        name: user.email,
        tenant: user.tenant,
        roles: user.roles,
        grants: await roles.grantsOf(user.tenant, user.roles),
        expiresAt,
      };
    }
    throw unauthenticated('invalid_token', 'the access token names an unknown kind of principal');
  }

  async #verifiedOwnPayload(token: string): Promise<JWTPayload> {
    const cached = this.#verifiedOwn.get(token);
    if (cached) {
      if ((cached.exp as number) * 1000 > Date.now()) return cached;
      this.#verifiedOwn.delete(token);
      throw unauthenticated('token_expired', 'the access token has expired');
    }
    const payload = await verifyJwt(token, this.#localKeys, this.#options.issuer, API_AUDIENCE);
    if (this.#verifiedOwn.size >= VERIFIED_TOKENS_KEPT) this.#verifiedOwn.delete(this.#verifiedOwn.keys().next().value!);
    this.#verifiedOwn.set(token, payload);
    return payload;
  }

  async #verifyExternal(token: string, external: ExternalIdpOptions): Promise<Principal> {
    this.#externalKeys ??= discoverJwks(external.issuer).catch((error: unknown) => {
      this.#externalKeys = undefined; // retry discovery on the next token
      throw error;
    });
    const payload = await verifyJwt(token, await this.#externalKeys, external.issuer, external.audience ?? API_AUDIENCE);
    const tenant = payload[external.tenantClaim ?? 'tenant'];
    if (typeof tenant !== 'string' || tenant === '') throw unauthenticated('invalid_token', `the access token has no "${external.tenantClaim ?? 'tenant'}" claim`);
    const rawRoles = payload[external.rolesClaim ?? 'roles'];
    const roleNames = Array.isArray(rawRoles)
      ? rawRoles.filter((r): r is string => typeof r === 'string')
      : typeof rawRoles === 'string'
        ? rawRoles.split(/\s+/).filter(Boolean)
        : [];
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    return {
      subject: `user:${payload.sub ?? ''}`,
      kind: 'user',
      name: email ?? payload.sub ?? '',
      tenant,
      roles: roleNames,
      grants: await this.#options.roles.grantsOf(tenant, roleNames),
      expiresAt: (payload.exp as number) * 1000,
    };
  }
}

async function verifyJwt(token: string, keys: JWTVerifyGetKey, issuer: string, audience: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys, { issuer, audience, requiredClaims: ['exp'] });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('token_expired', 'the access token has expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw unauthenticated('invalid_token', `the access token's "${error.claim}" claim is not accepted`);
    }
    throw unauthenticated('invalid_token', 'the access token signature does not verify');
  }
}

async function discoverJwks(issuer: string): Promise<JWTVerifyGetKey> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw unauthenticated('idp_unavailable', `the external identity provider's discovery answered ${response.status}`);
  const metadata = (await response.json()) as { jwks_uri?: string; issuer?: string };
  if (metadata.issuer !== issuer || !metadata.jwks_uri) {
    throw unauthenticated('idp_unavailable', "the external identity provider's discovery document does not match its issuer");
  }
  return createRemoteJWKSet(new URL(metadata.jwks_uri));
}

/** How many verified tokens of the hub's own a verifier remembers (the oldest goes first). */
const VERIFIED_TOKENS_KEPT = 1_000;

function unauthenticated(code: string, message: string): FerryUnauthenticatedError {
  return new FerryUnauthenticatedError(message, { code });
}
