/**
 * A minimal Kubernetes watch over node:https for the rollback benchmark: each event is timed when
 * its line arrives, far finer than polling GETs on a loaded 2-core machine. Reads the dev
 * cluster's JSON kubeconfig (server, CA and client certificate data of the current context).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: { metadata: { name: string; resourceVersion?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> };
  /** performance.now() when the event's line was received. */
  at: number;
}

interface KubeconfigJson {
  'current-context': string;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
}

export class KubeWatcher {
  private readonly agent: Agent;
  private readonly server: URL;

  constructor(kubeconfigPath: string) {
    const k = JSON.parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigJson;
    const context = k.contexts.find((c) => c.name === k['current-context'])!.context;
    const cluster = k.clusters.find((c) => c.name === context.cluster)!.cluster;
    const user = k.users.find((u) => u.name === context.user)!.user;
    const b64 = (s: string) => Buffer.from(s, 'base64');
    this.server = new URL(cluster.server);
    this.agent = new Agent({ keepAlive: true, ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
  }

  /** GETs `path` (a list, for its resourceVersion and items). */
  list<T>(path: string): Promise<{ metadata: { resourceVersion: string }; items: T[] }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.server.hostname, port: this.server.port, path, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Watches `path` from `resourceVersion`; `onEvent` returns true to stop. Resolves with the event that stopped it. */
  watch(path: string, resourceVersion: string, onEvent: (event: WatchEvent) => boolean, timeoutMs = 120_000): Promise<WatchEvent> {
    const sep = path.includes('?') ? '&' : '?';
    const full = `${path}${sep}watch=1&resourceVersion=${encodeURIComponent(resourceVersion)}&timeoutSeconds=${Math.ceil(timeoutMs / 1000)}`;
    return new Promise((resolve, reject) => {
      let buffer = '';
      let done = false;
      const req = request({ host: this.server.hostname, port: this.server.port, path: full, agent: this.agent }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`watch ${path}: ${res.statusCode}`));
        res.on('data', (chunk: Buffer) => {
          const at = performance.now();
          buffer += chunk.toString('utf8');
          let newline: number;
          while (!done && (newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (!line.trim()) continue;
            const event = { ...(JSON.parse(line) as Omit<WatchEvent, 'at'>), at };
            if (event.type === 'ERROR') {
              done = true;
              req.destroy();
              return reject(new Error(`watch ${path}: ${JSON.stringify(event.object)}`));
            }
            if (onEvent(event)) {
              done = true;
              req.destroy();
              resolve(event);
            }
          }
        });
        res.on('end', () => done || reject(new Error(`watch ${path} ended before its condition`)));
      });
      req.on('error', (error) => done || reject(error));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
