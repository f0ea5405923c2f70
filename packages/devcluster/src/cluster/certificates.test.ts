import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClusterPki, type ClusterPki } from './certificates.js';
import { httpGet } from './health.js';

const run = promisify(execFile);

describe('generateClusterPki (real openssl)', () => {
  let dir: string;
  let pki: ClusterPki;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-pki-test-'));
    pki = await generateClusterPki(join(dir, 'pki'), 'unit', '10.96.0.1');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs every certificate with the cluster CA', async () => {
    for (const cert of [pki.apiServerCert, pki.adminCert, pki.controllerManagerClientCert, pki.controllerManagerServingCert, pki.kubeletClientCert]) {
      const { stdout } = await run('openssl', ['verify', '-CAfile', pki.caCert, cert]);
      expect(stdout.trim()).toBe(`${cert}: OK`);
    }
    // The aggregation layer's client certificate has its own CA, which signs nothing else.
    const { stdout } = await run('openssl', ['verify', '-CAfile', pki.frontProxyCaCert, pki.frontProxyClientCert]);
    expect(stdout.trim()).toBe(`${pki.frontProxyClientCert}: OK`);
    await expect(run('openssl', ['verify', '-CAfile', pki.frontProxyCaCert, pki.adminCert])).rejects.toThrow();
  });

  it('gives the API server certificate the loopback and in-cluster names', async () => {
    const { stdout } = await run('openssl', ['x509', '-in', pki.apiServerCert, '-noout', '-ext', 'subjectAltName']);
    for (const san of ['IP Address:127.0.0.1', 'IP Address:10.96.0.1', 'DNS:localhost', 'DNS:kubernetes.default.svc.cluster.local']) {
      expect(stdout).toContain(san);
    }
  });

  it('puts the admin in system:masters and names the controller-manager as RBAC expects', async () => {
    const subject = async (cert: string) => (await run('openssl', ['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253'])).stdout.trim();
    expect(await subject(pki.adminCert)).toBe('subject=CN=ferry-admin,O=system:masters');
    expect(await subject(pki.controllerManagerClientCert)).toBe('subject=CN=system:kube-controller-manager');
  });

  it('writes a ServiceAccount public key matching the signing key', async () => {
    const derived = (await run('openssl', ['pkey', '-in', pki.serviceAccountKey, '-pubout'])).stdout;
    expect(await readFile(pki.serviceAccountPublicKey, 'utf8')).toBe(derived);
  });

  it('makes a TLS pair that verifies both ways: server name 127.0.0.1 and client certificate', async () => {
    const server: Server = createServer(
      {
        cert: await readFile(pki.apiServerCert),
        key: await readFile(pki.apiServerKey),
        ca: await readFile(pki.caCert),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.end(peer.subject.CN);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const ok = await httpGet(`https://127.0.0.1:${port}/`, { caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
      expect(ok).toEqual({ status: 200, body: 'ferry-admin' });
      // Without a client certificate the server refuses the handshake.
      await expect(httpGet(`https://127.0.0.1:${port}/`, { caCert: pki.caCert })).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('makes a different CA for every cluster', async () => {
    const other = await generateClusterPki(join(dir, 'other'), 'unit2', '10.96.0.1');
    expect(await readFile(other.caCert, 'utf8')).not.toBe(await readFile(pki.caCert, 'utf8'));
    await expect(run('openssl', ['verify', '-CAfile', other.caCert, pki.adminCert])).rejects.toThrow();
  });
});
