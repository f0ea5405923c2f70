import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/agent_hub.js';
import type { AgentHubDefinition } from './generated/ferry/agenthub/v1/AgentHub.js';

/** The .proto files shipped with the package (`proto/` beside `src/` and `dist/`). */
export const PROTO_DIR = fileURLToPath(new URL('../proto', import.meta.url));
export const AGENT_HUB_PROTO = 'ferry/agenthub/v1/agent_hub.proto';

/**
 * Must match the `generate` script's flags: the generated types describe exactly what the
 * loader produces with these options (camelCase fields, 64-bit ints as numbers, defaults
 * filled in, a virtual field naming each oneof's present member).
 */
export const LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let cached: ProtoGrpcType | undefined;

/** The Agent Hub package, loaded once: its client constructor and service definition. */
export function agentHubProto(): ProtoGrpcType['ferry']['agenthub']['v1'] {
  cached ??= loadPackageDefinition(loadSync(AGENT_HUB_PROTO, LOADER_OPTIONS)) as GrpcObject as unknown as ProtoGrpcType;
  return cached.ferry.agenthub.v1;
}

/** The service definition a hub adds to its `grpc.Server`. */
export function agentHubService(): AgentHubDefinition {
  return agentHubProto().AgentHub.service;
}
