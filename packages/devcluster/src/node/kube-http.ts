import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** Loads a kubeconfig file, or passes a KubeConfig through. */
export function toKubeConfig(kubeconfig: string | KubeConfig): KubeConfig {
  if (typeof kubeconfig !== 'string') return kubeconfig;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc;
}

/** A Kubernetes API error with its HTTP status, so callers can treat 404/409 as expected outcomes. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    body: string,
  ) {
    super(`${method} ${path} → ${status}: ${body.slice(0, 500)}`);
  }
}

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/**
 * A small JSON client for the Kubernetes API over one keep-alive agent with bounded sockets.
 * The node and the traffic generator work with plain JSON objects (as the watch delivers them),
 * so this avoids the generated client's model classes and date conversions.
 */
export class KubeHttp {
  private constructor(
    private readonly server: URL,
    private readonly base: RequestOptions,
    private readonly agent: HttpAgent,
    private readonly timeoutMs: number,
  ) {}

  static async fromKubeConfig(kc: KubeConfig, options: { maxSockets?: number; timeoutMs?: number } = {}): Promise<KubeHttp> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const base: RequestOptions = {};
    await kc.applyToHTTPSOptions(base);
    const server = new URL(cluster.server);
    const tls = { ca: base.ca, cert: base.cert, key: base.key, rejectUnauthorized: base.rejectUnauthorized, servername: base.servername };
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    const agent = server.protocol === 'https:' ? new HttpsAgent({ ...agentOptions, ...tls }) : new HttpAgent(agentOptions);
    return new KubeHttp(server, { headers: base.headers, auth: base.auth }, agent, options.timeoutMs ?? 15_000);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body, 'application/json');
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body, 'application/json');
  }

  patch<T>(path: string, body: unknown, type: PatchType = 'merge'): Promise<T> {
    return this.request<T>('PATCH', path, body, PATCH_CONTENT_TYPE[type]);
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body, 'application/json');
  }

  /** GET that answers undefined on 404 (e.g. a CRD that is not installed). */
  async getOptional<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = this.server.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<T>((resolve, reject) => {
      const req = send(
        {
          ...this.base,
          agent: this.agent,
          protocol: this.server.protocol,
          hostname: this.server.hostname,
          port: this.server.port,
          method,
          path: this.server.pathname.replace(/\/$/, '') + path,
          timeout: this.timeoutMs,
          headers: {
            ...(this.base.headers as Record<string, string> | undefined),
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) return reject(new KubeHttpError(status, method, path, text));
            try {
              resolve((text === '' ? undefined : JSON.parse(text)) as T);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof KubeHttpError && error.status === status;
}
