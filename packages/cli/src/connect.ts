import { homedir } from 'node:os';
import { join } from 'node:path';
import { FerryInputError, FerryUnauthenticatedError } from '@ferry/core';
import { credentialsPath, readCredentials } from './auth/credentials-file.js';
import { clientCredentialsSource, credentialsFileSource, machineCredentials } from './auth/token-source.js';
import { hubBackend } from './backend/hub-backend.js';
import type { Backend } from './backend/types.js';
import { HubClient } from './hub-client/hub-client.js';
import { readCa } from './hub-client/http.js';
import type { CliIO } from './io.js';

export interface ConnectionFlags {
  hub?: string;
  caFile?: string;
  clientId?: string;
  clientSecret?: string;
  stateFile?: string;
  kubeconfig?: string;
}

/** `--hub`/FERRY_HUB_URL, else the hub `ferry login` saved; undefined = local mode. */
export function hubUrlOf(flags: ConnectionFlags, io: CliIO): string | undefined {
  if (flags.hub) return flags.hub.replace(/\/+$/, '');
  return readCredentials(credentialsPath(io.env))?.hub;
}

/** A REST client for the configured hub, authenticated by machine credentials or the login. */
export function hubClient(flags: ConnectionFlags, io: CliIO): HubClient | undefined {
  const machine = machineCredentials(flags, io.env);
  const hub = hubUrlOf(flags, io);
  if (!hub) {
    if (machine) throw new FerryInputError('a client id and secret are set but no hub: set FERRY_HUB_URL or pass --hub', { code: 'no_hub' });
    return undefined;
  }
  const path = credentialsPath(io.env);
  const stored = readCredentials(path);
  const caFile = flags.caFile || (stored?.hub === hub ? stored.caFile : undefined);
  const target = { baseUrl: hub, ...(caFile ? { ca: readCa(caFile) as string } : {}) };
  if (machine) return new HubClient(target, clientCredentialsSource(target, machine));
  if (stored && stored.hub === hub) return new HubClient(target, credentialsFileSource(target, path, stored));
  return new HubClient(target, () =>
    Promise.reject(new FerryUnauthenticatedError(`not logged in to ${hub}: run ferry login --hub ${hub}, or set FERRY_CLIENT_ID and FERRY_CLIENT_SECRET`, { code: 'not_logged_in' })),
  );
}

export function statePathOf(flags: ConnectionFlags, io: CliIO): string {
  return flags.stateFile || join(io.env.HOME || homedir(), '.ferry', 'local.db');
}

/** Hub mode when a hub is configured, else local mode (engine in this process, SQLite state). */
export async function openBackend(flags: ConnectionFlags, io: CliIO): Promise<Backend> {
  const client = hubClient(flags, io);
  if (client) return hubBackend(client);
  const kubeconfig = flags.kubeconfig || io.env.KUBECONFIG?.split(':')[0];
  // Loaded only in local mode: the engine, SQLite and the Kubernetes client are heavy to import.
  const { openLocalBackend } = await import('./backend/local-backend.js');
  return openLocalBackend({ statePath: statePathOf(flags, io), ...(kubeconfig ? { kubeconfigPath: kubeconfig } : {}), env: io.env });
}

/** Verbs that only exist against a hub (config, agents, login) say so plainly. */
export function requireHub(flags: ConnectionFlags, io: CliIO, verb: string): HubClient {
  const client = hubClient(flags, io);
  if (!client) throw new FerryInputError(`ferry ${verb} needs a hub: pass --hub URL, set FERRY_HUB_URL, or run ferry login --hub URL`, { code: 'no_hub' });
  return client;
}
