import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials, Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { agentHubProto, agentHubService } from './load.js';
import type { AgentMessage__Output } from './generated/ferry/agenthub/v1/AgentMessage.js';
import type { HubMessage } from './generated/ferry/agenthub/v1/HubMessage.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('the Agent Hub contract', () => {
  const temp = mkdtempSync(join(tmpdir(), 'ferry-proto-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('has committed generated types that match the .proto (run `npm run generate` after editing it)', () => {
    const bin = join(packageDir, '..', '..', 'node_modules', '.bin', 'proto-loader-gen-types');
    const script = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).scripts.generate as string;
    const args = script.split(' ').slice(1).map((arg) => (arg === '--outDir=src/generated' ? `--outDir=${temp}` : arg));
    execFileSync(bin, args, { cwd: packageDir, stdio: 'pipe' });
    expect(filesUnder(temp)).toEqual(filesUnder(join(packageDir, 'src', 'generated')));
  });

  it('carries a register message and relay frames both ways over a real gRPC stream', async () => {
    const server = new Server();
    server.addService(agentHubService(), {
      Connect(call: ServerDuplexStream<AgentMessage__Output, HubMessage>) {
        call.on('data', (message: AgentMessage__Output) => {
          if (message.kind === 'register') {
            call.write({ registered: { hubReplica: 'r1', heartbeatIntervalMs: 1000, tokenExpiresAtMs: 1_800_000_000_000, tenant: 't' } });
            call.write({ requestHead: { requestId: 7, method: 'GET', clusterPath: '/api/v1/namespaces', headers: [{ name: 'accept', value: 'application/json' }], responseWindow: 1024 } });
          }
          if (message.kind === 'responseBody') {
            expect(message.responseBody?.data.toString()).toBe('hello');
            call.end();
          }
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const client = new (agentHubProto().AgentHub)(`127.0.0.1:${port}`, credentials.createInsecure());
    const call = client.connect();
    const seen: string[] = [];
    call.on('data', (message) => {
      seen.push(message.kind ?? '');
      if (message.kind === 'requestHead') {
        expect(message.requestHead).toMatchObject({ requestId: 7, destination: 'clusterPath', clusterPath: '/api/v1/namespaces' });
        call.write({ responseBody: { requestId: 7, data: Buffer.from('hello') } });
      }
    });
    call.write({ register: { identifier: 'a1', instanceId: 'i', version: '0.1.0', requestWindow: 1024, info: { k: 'v' } } });
    await new Promise<void>((resolve) => call.on('end', resolve));
    expect(seen).toEqual(['registered', 'requestHead']);
    expect((agentHubProto().Registered.type as { field: Array<{ name: string }> }).field.map((f) => f.name)).toContain('tokenExpiresAtMs');
    call.end();
    client.close();
    server.forceShutdown();
  });
});
