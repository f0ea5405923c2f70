import { describe, expect, it } from 'vitest';
import { httpGet } from '../cluster/health.js';
import { kubectl } from '../cluster/kubectl.js';
import { useTestNamespace } from '../vitest/index.js';
import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** GET with a bearer token, trusting the cluster CA from the kubeconfig. */
function getWithToken(kubeconfigPath: string, path: string, token: string): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster()!;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, cluster.server), { ca: Buffer.from(cluster.caData!, 'base64'), headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ServiceAccount tokens', () => {
  const ns = useTestNamespace({ prefix: 'sa' });

  it('are created by the controller-manager and authenticate to the API server', async () => {
    const { name, core, kubeconfigPath } = ns.current;
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'robot' } } });

    // The token controller (signing with the cluster's service-account key) creates the Secret.
    const secretName = await expect
      .poll(async () => (await core.readNamespacedServiceAccount({ name: 'robot', namespace: name })).secrets?.[0]?.name, { timeout: 60_000 })
      .toBeTruthy()
      .then(async () => (await core.readNamespacedServiceAccount({ name: 'robot', namespace: name })).secrets![0]!.name!);
    const secret = await core.readNamespacedSecret({ name: secretName, namespace: name });
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    const token = Buffer.from(secret.data!.token!, 'base64').toString('utf8');
    expect(Buffer.from(secret.data!['ca.crt']!, 'base64').toString()).toContain('BEGIN CERTIFICATE');

    // Authenticated but not yet authorized (RBAC): 403, where a bad token gets 401.
    const podsPath = `/api/v1/namespaces/${name}/pods`;
    expect(await getWithToken(kubeconfigPath, podsPath, token)).toBe(403);
    expect(await getWithToken(kubeconfigPath, podsPath, `${token.slice(0, -4)}AAAA`)).toBe(401);

    // kubectl, given only the server, the CA and the token, agrees on what the token may do.
    const { server, dir } = ns.current.cluster;
    const asRobot = [`--server=${server}`, `--certificate-authority=${dir}/pki/ca.crt`, `--token=${token}`, '-n', name];
    const before = await kubectl('/dev/null', ['auth', 'can-i', 'list', 'pods', ...asRobot], { allowFailure: true });
    expect(before.stdout.trim()).toBe('no');
    await kubectl(kubeconfigPath, ['-n', name, 'create', 'role', 'pod-reader', '--verb=list', '--resource=pods']);
    await kubectl(kubeconfigPath, ['-n', name, 'create', 'rolebinding', 'robot-reads', '--role=pod-reader', `--serviceaccount=${name}:robot`]);
    await expect.poll(() => getWithToken(kubeconfigPath, podsPath, token), { timeout: 10_000 }).toBe(200);
    const after = await kubectl('/dev/null', ['auth', 'can-i', 'list', 'pods', ...asRobot]);
    expect(after.stdout.trim()).toBe('yes');
  });

  it('lets anonymous users only reach the health endpoints', async () => {
    const { cluster } = ns.current;
    const caFile = `${cluster.dir}/pki/ca.crt`;
    expect((await httpGet(`${cluster.server}/readyz`, { caCert: caFile })).status).toBe(200);
    expect((await httpGet(`${cluster.server}/api/v1/namespaces`, { caCert: caFile })).status).toBe(403);
  });
});
