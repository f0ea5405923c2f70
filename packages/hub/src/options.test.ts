import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseHubOptions } from './options.js';
import { hubOptionsFromArgs } from './server/cli-options.js';

describe('parseHubOptions', () => {
  it('applies the defaults: ~/.ferry/hub, 127.0.0.1, local CA, SQLite in the data directory', () => {
    const options = parseHubOptions({});
    expect(options.dataDir).toBe(join(homedir(), '.ferry', 'hub'));
    expect(options.host).toBe('127.0.0.1');
    expect(options.tls).toEqual({ mode: 'local-ca' });
    expect(options.database).toEqual({ sqlite: join(homedir(), '.ferry', 'hub', 'hub.db') });
    expect(options.leaseTtlMs).toBe(30_000);
  });

  it('names every bad path', () => {
    expect(() => parseHubOptions({ port: 70_000, bootstrapAdmin: { email: 'nope', password: 'x' } })).toThrow(
      /port: .*; bootstrapAdmin\.email: .*; bootstrapAdmin\.password: at least 8 characters/,
    );
  });

  it('allows plain HTTP only on loopback hosts', () => {
    expect(parseHubOptions({ tls: { mode: 'plain' }, host: 'localhost' }).tls.mode).toBe('plain');
    expect(() => parseHubOptions({ tls: { mode: 'plain' }, host: '192.168.1.4' })).toThrow('tls.mode: plain HTTP is allowed only on a loopback host');
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
  });

  it('keeps a PostgreSQL database and makes paths absolute', () => {
    const options = parseHubOptions({ dataDir: 'rel/dir', database: { postgres: 'postgres://u@127.0.0.1/db', schema: 'ferry_a' }, kubeconfig: 'kc.yaml' });
    expect(options.dataDir).toBe(resolve('rel/dir'));
    expect(options.database).toEqual({ postgres: 'postgres://u@127.0.0.1/db', schema: 'ferry_a' });
    expect(options.kubeconfig).toBe(resolve('kc.yaml'));
  });
});

describe('hubOptionsFromArgs', () => {
  it('reads flags, then FERRY_* environment variables', () => {
    const options = hubOptionsFromArgs(['--port', '0', '--plain-http', '--postgres', 'postgres://x@127.0.0.1/db'], {
      FERRY_HUB_DATA_DIR: '/srv/hub',
      FERRY_ADMIN_EMAIL: 'admin@example.com',
      FERRY_ADMIN_PASSWORD: 'correct horse',
    });
    expect(options).toEqual({
      dataDir: '/srv/hub',
      port: 0,
      tls: { mode: 'plain' },
      database: { postgres: 'postgres://x@127.0.0.1/db' },
      bootstrapAdmin: { email: 'admin@example.com', password: 'correct horse' },
    });
  });

  it('reads the Agent Hub flags: port, off, NATS', () => {
    expect(hubOptionsFromArgs(['--agent-hub-port', '0', '--nats', 'nats://127.0.0.1:4222'], {})).toEqual({ agentHub: { enabled: true, port: 0, nats: 'nats://127.0.0.1:4222' } });
    expect(hubOptionsFromArgs([], { FERRY_HUB_AGENT_HUB: 'off' })).toEqual({ agentHub: { enabled: false, port: 9443 } });
    expect(() => hubOptionsFromArgs(['--agent-hub-port', 'x'], {})).toThrow('--agent-hub-port: "x" is not a whole number');
  });

  it('refuses half-given pairs and unknown flags', () => {
    expect(() => hubOptionsFromArgs(['--admin-email', 'a@b.c'], {})).toThrow('--admin-email and --admin-password go together');
    expect(() => hubOptionsFromArgs(['--tls-cert', 'c.pem'], {})).toThrow('--tls-cert and --tls-key go together');
    expect(() => hubOptionsFromArgs(['--bogus'], {})).toThrow(/bogus/);
    expect(() => hubOptionsFromArgs(['--port', '80a'], {})).toThrow('--port: "80a" is not a whole number');
    expect(hubOptionsFromArgs(['--help'], {})).toBeUndefined();
  });
});
