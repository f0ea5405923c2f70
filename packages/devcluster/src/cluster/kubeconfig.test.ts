import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClusterPki, type ClusterPki } from './certificates.js';
import { contextName, writeKubeconfig } from './kubeconfig.js';

describe('writeKubeconfig', () => {
  let dir: string;
  let pki: ClusterPki;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-kubeconfig-test-'));
    pki = await generateClusterPki(join(dir, 'pki'), 'kc', '10.96.0.1');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a self-contained kubeconfig that @kubernetes/client-node loads', async () => {
    const file = join(dir, 'kubeconfig');
    await writeKubeconfig(file, {
      clusterName: 'kc',
      server: 'https://127.0.0.1:6443',
      caCertFile: pki.caCert,
      clientCertFile: pki.adminCert,
      clientKeyFile: pki.adminKey,
      userName: 'ferry-kc-admin',
    });
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    expect(kc.getCurrentContext()).toBe(contextName('kc'));
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(kc.getCurrentCluster()!.caData!, 'base64').toString()).toBe(await readFile(pki.caCert, 'utf8'));
    expect(Buffer.from(kc.getCurrentUser()!.keyData!, 'base64').toString()).toBe(await readFile(pki.adminKey, 'utf8'));
  });
});
