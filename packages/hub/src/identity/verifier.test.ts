import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { FerryUnauthenticatedError } from '@ferry/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CredentialRecord, Grant } from '../contracts.js';
import { API_AUDIENCE, PRINCIPAL_CLAIM } from './constants.js';
import { HubTokenVerifier } from './verifier.js';

const ISSUER = 'https://hub.test/oidc';
const ROLE_GRANTS: Record<string, Grant> = {
  deployer: { type: 'api', resource: 'deployment', permission: 'full' },
  viewer: { type: 'api', resource: 'deployment', permission: 'read' },
};
let sign: (claims: { principal: string; expiresInSeconds: number; issuer?: string }) => Promise<string>;
let publicJwk: Awaited<ReturnType<typeof exportJWK>>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  sign = ({ principal, expiresInSeconds, issuer = ISSUER }) =>
    new SignJWT({ [PRINCIPAL_CLAIM]: principal })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(API_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
});

afterEach(() => {
  vi.useRealTimers();
});

function verifierWith(credentials: Map<string, CredentialRecord>) {
  return new HubTokenVerifier({
    issuer: ISSUER,
    publicJwks: { keys: [publicJwk] },
    lookups: { credential: async (clientId) => credentials.get(clientId) ?? null, userById: async () => null },
    roles: { grantsOf: async (_tenant, roles) => roles.map((role) => ROLE_GRANTS[role]!) },
  });
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FerryUnauthenticatedError);
  return (error as FerryUnauthenticatedError).code;
}

describe('HubTokenVerifier', () => {
  const credential: CredentialRecord = { clientId: 'ci', tenant: 'acme', name: 'ci', roles: ['deployer'], tokenTtlSeconds: null, createdAt: 0 };

  it('checks the credential and its current roles on every call, also for a token it has verified before', async () => {
    const credentials = new Map([['ci', credential]]);
    const verifier = verifierWith(credentials);
    const token = await sign({ principal: 'client:ci', expiresInSeconds: 600 });
    expect(await verifier.verify(token)).toMatchObject({ subject: 'client:ci', tenant: 'acme', grants: [ROLE_GRANTS.deployer] });
    credentials.set('ci', { ...credential, roles: ['viewer'] });
    expect((await verifier.verify(token)).grants).toEqual([ROLE_GRANTS.viewer]);
    credentials.delete('ci');
    expect(await refusal(verifier.verify(token))).toBe('credential_revoked');
  });

  it('refuses a token it has verified before once it expires', async () => {
    const verifier = verifierWith(new Map([['ci', credential]]));
    const token = await sign({ principal: 'client:ci', expiresInSeconds: 60 });
    await verifier.verify(token);
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
    expect(await refusal(verifier.verify(token))).toBe('token_expired');
    expect(await refusal(verifier.verify(token))).toBe('token_expired');
  });

  it('refuses a forged signature, a foreign audience or issuer, and a token that is not a JWT', async () => {
    const verifier = verifierWith(new Map([['ci', credential]]));
    const token = await sign({ principal: 'client:ci', expiresInSeconds: 600 });
    const [header, payload] = token.split('.');
    expect(await refusal(verifier.verify(`${header}.${payload}.${'A'.repeat(342)}`))).toBe('invalid_token');
    expect(await refusal(verifier.verify(await sign({ principal: 'client:ci', expiresInSeconds: 600, issuer: 'https://other.test' })))).toBe('invalid_token');
    expect(await refusal(verifier.verify('not-a-jwt'))).toBe('invalid_token');
    // The genuine token still verifies after the forged one with its payload was refused.
    expect((await verifier.verify(token)).subject).toBe('client:ci');
  });
});
