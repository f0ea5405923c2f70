import { FerryUnauthenticatedError } from '@ferry/core';
import type { HttpTarget } from '../hub-client/http.js';
import { readCredentials, writeCredentials, type StoredCredentials } from './credentials-file.js';
import { clientCredentialsGrant, refreshGrant } from './oidc.js';

/** Gives the bearer token for hub requests; fetched once per process and refreshed when stale. */
export type TokenSource = () => Promise<string>;

export interface MachineCredentials {
  clientId: string;
  clientSecret: string;
}

/** FERRY_CLIENT_ID/SECRET (flags or env), else ARMORY_CLIENT_ID/SECRET for drop-in use. */
export function machineCredentials(options: { clientId?: string; clientSecret?: string }, env: NodeJS.ProcessEnv): MachineCredentials | undefined {
  // An empty variable counts as unset (CI systems often define every input).
  const clientId = options.clientId || env.ARMORY_CLIENT_ID;
  const clientSecret = options.clientSecret || env.ARMORY_CLIENT_SECRET;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) throw new FerryUnauthenticatedError('a machine credential needs both a client id and a client secret (FERRY_CLIENT_ID and FERRY_CLIENT_SECRET)', { code: 'incomplete_credentials' });
  return { clientId, clientSecret };
}

export function clientCredentialsSource(target: HttpTarget, credentials: MachineCredentials): TokenSource {
  let token: { value: string; expiresAt: number } | undefined;
  return async () => {
    if (token && token.expiresAt - 30_000 > Date.now()) return token.value;
    const answer = await clientCredentialsGrant(target, credentials.clientId, credentials.clientSecret);
    token = { value: answer.access_token, expiresAt: Date.now() + (answer.expires_in ?? 300) * 1000 };
    return token.value;
  };
}

/** The person's tokens from `ferry login`, refreshed (and saved) when the access token is about to expire. */
export function credentialsFileSource(target: HttpTarget, path: string, stored: StoredCredentials): TokenSource {
  let current = stored;
  return async () => {
    if (current.expiresAt - 30_000 > Date.now()) return current.accessToken;
    // Another ferry process may have refreshed already.
    const latest = readCredentials(path);
    if (latest && latest.expiresAt - 30_000 > Date.now()) {
      current = latest;
      return current.accessToken;
    }
    const refreshToken = latest?.refreshToken ?? current.refreshToken;
    const refreshed = refreshToken ? await refreshGrant(target, current.tokenEndpoint, current.clientId, refreshToken) : undefined;
    if (!refreshed) throw new FerryUnauthenticatedError(`your login to ${current.hub} has expired: run ferry login`, { code: 'login_expired' });
    current = {
      ...current,
      accessToken: refreshed.access_token,
      ...(refreshed.refresh_token ? { refreshToken: refreshed.refresh_token } : {}),
      expiresAt: Date.now() + (refreshed.expires_in ?? 300) * 1000,
    };
    writeCredentials(path, current);
    return current.accessToken;
  };
}
