import { status, type Metadata, type ServerDuplexStream } from '@grpc/grpc-js';
import { FerryConflictError, FerryError, FerryForbiddenError, FerryInputError, FerryUnauthenticatedError } from '@ferry/core';
import { DEFAULT_WINDOW, streamFrameBatcher, type AgentMessage__Output, type HubMessage, type Register__Output } from '@ferry/proto';
import type { AgentRepository, Principal, TargetRepository, TokenVerifier } from '../contracts.js';
import type { LocalRegistry } from './local-registry.js';
import type { AgentHubLogger, AgentHubSettings } from './options.js';
import { AgentSession } from './session.js';

export interface ConnectDeps {
  settings: AgentHubSettings;
  verifier: TokenVerifier;
  requireGrant(principal: Principal): void;
  registry: LocalRegistry;
  agents: AgentRepository;
  targets: TargetRepository;
  logger: AgentHubLogger;
  now(): number;
  /** Told when this replica starts or stops holding a stream for an agent identifier. */
  onConnected(session: AgentSession): void;
  onDisconnected(session: AgentSession): void;
}

type Call = ServerDuplexStream<AgentMessage__Output, HubMessage>;

/** Per-stream state the sweep needs (expiry of the token the stream runs on, heartbeat persistence). */
export interface LiveStream {
  session: AgentSession;
  principal: Principal;
  heartbeatPersistedAt: number;
  /** Closes the stream from the hub's side (optionally telling the agent why) and unregisters it. */
  end(reason: string, goodbye?: { code: string; message: string }): void;
}

const IDENTIFIER = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/i;

/** Handles one `Connect` call: authenticate, wait for `register`, then route frames until the end. */
export async function handleConnect(call: Call, deps: ConnectDeps, live: Set<LiveStream>): Promise<void> {
  let principal: Principal;
  try {
    principal = await authenticate(call.metadata, deps);
  } catch (error) {
    refuse(call, error, deps);
    return;
  }

  const registration = await firstRegister(call, deps.settings.registerTimeoutMs).catch((error: unknown) => {
    refuse(call, error, deps);
    return undefined;
  });
  if (!registration) return;
  const { register, buffered } = registration;
  if (!IDENTIFIER.test(register.identifier) || !register.instanceId) {
    refuse(call, new FerryInputError(`invalid agent identifier "${register.identifier}" (letters, digits, '.', '_', '-'; at most 63)`, { code: 'invalid_identifier' }), deps);
    return;
  }
  const tenant = principal.tenant;
  try {
    if (register.clusterAccount) await registerTarget(deps.targets, tenant, register.identifier);
  } catch (error) {
    refuse(call, error, deps);
    return;
  }

  const now = deps.now();
  const batcher = streamFrameBatcher<HubMessage>(call);
  batcher.enabled = register.acceptsBatches;
  const session = new AgentSession(
    {
      write: (message) => batcher.push(message),
      end: () => {
        batcher.flush();
        call.end();
      },
    },
    {
      tenant,
      identifier: register.identifier,
      instanceId: register.instanceId,
      version: register.version,
      address: call.getPeer(),
      clusterAccount: register.clusterAccount,
      clusterRole: register.clusterRole,
      requestWindow: register.requestWindow || DEFAULT_WINDOW,
      info: register.info,
      connectedAt: now,
    },
    now,
  );
  let ended = false;
  const finish = (reason: string) => {
    if (ended) return;
    ended = true;
    session.close(reason);
    batcher.clear();
    live.delete(stream);
    deps.registry.remove(session);
    deps.onDisconnected(session);
    deps.agents.remove(tenant, register.identifier, register.instanceId).catch((error: unknown) => deps.logger.warn({ ...log, err: message(error) }, 'could not remove the agent from the registry'));
    deps.logger.info({ ...log, reason }, 'agent disconnected');
  };
  const stream: LiveStream = {
    session,
    principal,
    heartbeatPersistedAt: now,
    end: (reason, goodbye) => {
      session.close(reason, goodbye);
      finish(reason);
    },
  };
  const log = { tenant, agent: register.identifier, instance: register.instanceId, address: session.info.address };

  call.on('end', () => finish('the agent ended the stream'));
  call.on('cancelled', () => finish('the stream was cancelled'));
  call.on('error', (error) => finish(`stream error: ${message(error)}`));
  call.on('close', () => finish('the stream closed'));

  const onFrame = (frame: AgentMessage__Output): void => {
    if (frame.kind === 'batch') {
      for (const inner of frame.batch!.frames) onFrame(inner);
      return;
    }
    if (frame.kind === 'tokenRefresh') {
      void refreshToken(frame.tokenRefresh!.accessToken, stream, deps).catch((error: unknown) => {
        deps.logger.warn({ ...log, err: message(error) }, 'agent token refresh refused');
        stream.end('its refreshed token was refused', { code: 'unauthenticated', message: message(error) });
      });
      session.lastSeenAt = deps.now();
      return;
    }
    session.handle(frame, deps.now());
  };

  try {
    await deps.agents.upsert({
      identifier: register.identifier,
      tenant,
      instanceId: register.instanceId,
      version: register.version,
      hubReplica: deps.settings.replicaName,
      address: session.info.address,
      connectedAt: now,
      lastHeartbeatAt: now,
      clusterRole: register.clusterRole,
    });
  } catch (error) {
    refuse(call, error, deps);
    return;
  }
  call.write({
    registered: {
      hubReplica: deps.settings.replicaName,
      heartbeatIntervalMs: deps.settings.heartbeatIntervalMs,
      tokenExpiresAtMs: principal.expiresAt,
      tenant,
      acceptsBatches: true,
    },
  });
  live.add(stream);
  deps.registry.add(session);
  deps.onConnected(session);
  deps.logger.info({ ...log, version: register.version, clusterAccount: register.clusterAccount }, 'agent connected');
  for (const frame of buffered) onFrame(frame);
  call.on('data', onFrame);
  call.resume();
  if (call.destroyed || call.cancelled) finish('the stream closed during registration');
}

async function authenticate(metadata: Metadata, deps: ConnectDeps): Promise<Principal> {
  const header = metadata.get('authorization')[0];
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!token) throw new FerryUnauthenticatedError('missing bearer token in the `authorization` metadata', { code: 'missing_token' });
  const principal = await deps.verifier.verify(token);
  deps.requireGrant(principal);
  return principal;
}

/** Re-verifies a token sent on the stream; it must belong to the same tenant and credential. */
async function refreshToken(token: string, stream: LiveStream, deps: ConnectDeps): Promise<void> {
  const principal = await deps.verifier.verify(token);
  if (principal.tenant !== stream.principal.tenant || principal.subject !== stream.principal.subject) {
    throw new FerryForbiddenError('a refreshed token must belong to the credential the stream was opened with', { code: 'token_mismatch' });
  }
  deps.requireGrant(principal);
  stream.principal = principal;
}

/** Waits for the agent's `register` frame, keeping anything that arrives with it. */
function firstRegister(call: Call, timeoutMs: number): Promise<{ register: Register__Output; buffered: AgentMessage__Output[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new FerryInputError(`no register message within ${timeoutMs} ms`, { code: 'register_timeout' })), timeoutMs);
    const buffered: AgentMessage__Output[] = [];
    let register: Register__Output | undefined;
    const onData = (frame: AgentMessage__Output) => {
      if (register) buffered.push(frame);
      else if (frame.kind === 'register') {
        register = frame.register!;
        done();
      } else done(new FerryInputError(`the first message must be register, not ${frame.kind ?? 'empty'}`, { code: 'register_expected' }));
    };
    const onEnd = () => done(new FerryInputError('the stream ended before register', { code: 'register_expected' }));
    function done(error?: Error) {
      clearTimeout(timer);
      // Hold later frames in the stream's buffer until the session's handler is attached.
      call.pause();
      call.off('data', onData);
      call.off('end', onEnd);
      call.off('cancelled', onEnd);
      if (error || !register) reject(error ?? new Error('no register'));
      else resolve({ register, buffered });
    }
    call.on('data', onData);
    call.on('end', onEnd);
    call.on('cancelled', onEnd);
  });
}

/** Cluster-account mode: the agent's cluster becomes a target named by its identifier. */
async function registerTarget(targets: TargetRepository, tenant: string, identifier: string): Promise<void> {
  const existing = await targets.get(tenant, identifier);
  if (existing && existing.kind !== 'agent') {
    throw new FerryConflictError(`target "${identifier}" already exists as a ${existing.kind} target; rename the agent or delete the target`, {
      code: 'target_conflict',
    });
  }
  if (!existing || existing.ref !== identifier) await targets.put({ name: identifier, tenant, kind: 'agent', ref: identifier });
}

function refuse(call: Call, error: unknown, deps: ConnectDeps): void {
  const code =
    error instanceof FerryUnauthenticatedError
      ? status.UNAUTHENTICATED
      : error instanceof FerryForbiddenError
        ? status.PERMISSION_DENIED
        : error instanceof FerryConflictError
          ? status.ALREADY_EXISTS
          : error instanceof FerryInputError
            ? status.INVALID_ARGUMENT
            : status.UNAVAILABLE;
  // A verifier's message never carries the token; other failures are summarized.
  const details = error instanceof FerryError ? error.message : 'the hub could not accept the agent';
  deps.logger.warn({ address: call.getPeer(), code: error instanceof FerryError ? error.code : 'internal', err: message(error) }, 'agent refused');
  call.emit('error', { code, details });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
