import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface MergedKubeconfig {
  path: string;
  /** The context name of each input file, in order (an account in deploy files). */
  contexts: string[];
}

/**
 * One kubeconfig file holding the current context of each given file, the way a person with two
 * clusters has them, so one `kubernetes()` connector reaches both. Users are renamed per context
 * (dev clusters all call theirs the same).
 */
export function mergeKubeconfigs(paths: string[]): MergedKubeconfig {
  const merged = new KubeConfig();
  const clusters: KubeConfig['clusters'] = [];
  const users: KubeConfig['users'] = [];
  const contexts: KubeConfig['contexts'] = [];
  for (const path of paths) {
    const one = new KubeConfig();
    one.loadFromFile(path);
    const context = one.getContextObject(one.getCurrentContext());
    const cluster = context && one.getCluster(context.cluster);
    const user = context && one.getUser(context.user);
    if (!context || !cluster || !user) throw new Error(`${path}: its current context is incomplete`);
    const userName = `${context.name}-user`;
    clusters.push(cluster);
    users.push({ ...user, name: userName });
    contexts.push({ ...context, user: userName });
  }
  merged.loadFromOptions({ clusters, users, contexts, currentContext: contexts[0]?.name ?? '' });
  const path = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-kubeconfig-')), 'config');
  writeFileSync(path, merged.exportConfig(), { mode: 0o600 });
  return { path, contexts: contexts.map((c) => c.name) };
}
