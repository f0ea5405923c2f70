import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureLocalCa } from './tls.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-hub-tls-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureLocalCa', () => {
  it('creates a CA and a server certificate for 127.0.0.1 and localhost, keys mode 0600', async () => {
    const material = await ensureLocalCa(dir, '127.0.0.1');
    const server = new X509Certificate(material.certPem);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.verify(new X509Certificate(material.caCertPem as string).publicKey)).toBe(true);
    expect(material.caFile).toBe(join(dir, 'tls', 'ca.pem'));
    for (const key of ['ca.key', 'server.key']) expect((await stat(join(dir, 'tls', key))).mode & 0o777).toBe(0o600);
  });

  it('reuses the CA and certificate on a later start', async () => {
    const first = await ensureLocalCa(dir, '127.0.0.1');
    const second = await ensureLocalCa(dir, '127.0.0.1');
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).toBe(first.certPem);
  });

  it('re-issues the server certificate from the same CA when the host changes', async () => {
    const first = await ensureLocalCa(dir, '127.0.0.1');
    const second = await ensureLocalCa(dir, 'hub.internal');
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(second.certPem).subjectAltName).toContain('DNS:hub.internal');
  });

  it('serves HTTPS that a client trusting only ca.pem accepts', async () => {
    const material = await ensureLocalCa(dir, '127.0.0.1');
    const server = createServer({ cert: material.certPem, key: material.keyPem }, (_req, res) => res.end('hello')).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port, ca: material.caCertPem }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('hello');
      const refused = await new Promise<Error>((resolve) => get({ host: '127.0.0.1', port }, () => resolve(new Error('accepted'))).on('error', resolve));
      expect(refused.message).toMatch(/self.signed|unable to verify|certificate/i);
    } finally {
      server.close();
    }
  });
});
