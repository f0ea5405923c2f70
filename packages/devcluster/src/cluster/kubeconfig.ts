import { readFile, writeFile } from 'node:fs/promises';

export interface KubeconfigInput {
  clusterName: string;
  server: string;
  caCertFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  userName: string;
}

/** The context (and cluster entry) name used in every kubeconfig this package writes. */
export function contextName(clusterName: string): string {
  return `ferry-${clusterName}`;
}

/**
 * A kubeconfig with the CA and client credentials embedded, so the file works from anywhere
 * (kubectl, @kubernetes/client-node, another process). Written as JSON, which is valid YAML.
 */
export async function renderKubeconfig(input: KubeconfigInput): Promise<string> {
  const [ca, cert, key] = await Promise.all([input.caCertFile, input.clientCertFile, input.clientKeyFile].map((file) => readFile(file)));
  const name = contextName(input.clusterName);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': ca!.toString('base64') } }],
    users: [{ name: input.userName, user: { 'client-certificate-data': cert!.toString('base64'), 'client-key-data': key!.toString('base64') } }],
    contexts: [{ name, context: { cluster: name, user: input.userName, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function writeKubeconfig(file: string, input: KubeconfigInput): Promise<void> {
  await writeFile(file, await renderKubeconfig(input), { mode: 0o600 });
}
