import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryInputError } from '@ferry/core';
import { startAgent } from './agent.js';
import { agentOptionsFromEnv } from './env-options.js';

describe('agent settings from the environment', () => {
  it('reads the chart-provided variables, including the Armory client variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-agent-env-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'PEM');
      const options = agentOptionsFromEnv({
        FERRY_AGENT_IDENTIFIER: 'prod-eu',
        FERRY_HUB_ADDRESS: 'hub.example:9443',
        FERRY_HUB_CA_FILE: join(dir, 'ca.pem'),
        FERRY_ISSUER: 'https://hub.example/oidc',
        ARMORY_CLIENT_ID: 'id',
        ARMORY_CLIENT_SECRET: 'secret',
        FERRY_AGENT_CLUSTER_ACCOUNT: 'false',
        FERRY_AGENT_ALLOWED_HOSTS: 'prometheus:9090, jenkins',
        FERRY_AGENT_HEALTH_PORT: '0',
      });
      expect(options).toMatchObject({
        identifier: 'prod-eu',
        hub: { address: 'hub.example:9443', caPem: 'PEM' },
        auth: { issuer: 'https://hub.example/oidc', clientId: 'id', clientSecret: 'secret' },
        clusterAccount: false,
        clusterRole: true,
        allowedHosts: ['prometheus:9090', 'jenkins'],
        healthPort: 0,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses incomplete settings, naming the option', async () => {
    const error = await startAgent({ ...agentOptionsFromEnv({ FERRY_AGENT_IDENTIFIER: 'a' }), cluster: { server: 'http://127.0.0.1:1', authorize: async () => undefined } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as Error).message).toMatch(/hub\.address|auth/);
    expect((error as Error).message).not.toContain('secret');
  });
});
