/**
 * The agent relays only to its cluster's API server and the hosts it is configured with.
 * An entry is `host` (any port), `host:port`, or `*.suffix` (subdomains of suffix, any port).
 */
export class Allowlist {
  readonly #entries: Array<{ host: string; port?: string; wildcard: boolean }>;

  constructor(entries: string[]) {
    this.#entries = entries.map((entry) => {
      const value = entry.trim().toLowerCase();
      const wildcard = value.startsWith('*.');
      const hostPort = wildcard ? value.slice(1) : value;
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
      return { host: match?.[1] ?? hostPort, ...(match?.[2] ? { port: match[2] } : {}), wildcard };
    });
  }

  allows(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.#entries.some((entry) => {
      if (entry.port && entry.port !== port) return false;
      return entry.wildcard ? host.endsWith(entry.host) && host.length > entry.host.length : host === entry.host;
    });
  }

  describe(): string {
    return this.#entries.length === 0 ? 'only the cluster API' : `the cluster API and ${this.#entries.map((e) => `${e.wildcard ? '*' : ''}${e.host}${e.port ? `:${e.port}` : ''}`).join(', ')}`;
  }
}
