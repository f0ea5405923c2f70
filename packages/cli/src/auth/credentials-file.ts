import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { FerryInputError } from '@ferry/core';

/** What `ferry login` keeps: the hub, how to trust it, and the person's tokens. */
export interface StoredCredentials {
  hub: string;
  caFile?: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  /** The OIDC token endpoint, remembered for refreshes. */
  tokenEndpoint: string;
  clientId: string;
}

/** `FERRY_CREDENTIALS_FILE`, else `~/.ferry/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return env.FERRY_CREDENTIALS_FILE || join(env.HOME || homedir(), '.ferry', 'credentials.json');
}

export function readCredentials(path: string): StoredCredentials | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FerryInputError(`cannot read the credentials file ${path}: ${(error as Error).message} (run ferry logout, then ferry login)`, { code: 'invalid_credentials_file' });
  }
  const value = parsed as Partial<StoredCredentials>;
  if (typeof value.hub !== 'string' || typeof value.accessToken !== 'string' || typeof value.tokenEndpoint !== 'string') {
    throw new FerryInputError(`the credentials file ${path} is not one ferry login wrote (run ferry logout, then ferry login)`, { code: 'invalid_credentials_file' });
  }
  return value as StoredCredentials;
}

/** Written atomically with mode 0600: tokens are secrets. */
export function writeCredentials(path: string, credentials: StoredCredentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function removeCredentials(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path, { force: true });
  return true;
}
