/**
 * Hands out placeholder pod IPs from a /16 (e.g. 10.244.0.0/16). Nothing ever connects to these
 * addresses: they exist so Endpoints look real; traffic goes to the loopback ports in pods.json.
 */
export class IpAllocator {
  private readonly byOwner = new Map<string, string>();
  private readonly used = new Set<number>();
  private next = 2;

  constructor(private readonly prefix16: string) {
    if (!/^\d{1,3}\.\d{1,3}$/.test(prefix16)) throw new Error(`pod IP prefix must look like "10.244", got ${prefix16}`);
  }

  allocate(owner: string): string {
    const existing = this.byOwner.get(owner);
    if (existing) return existing;
    for (let tries = 0; tries < 65_533; tries++) {
      const candidate = this.next;
      this.next = this.next >= 65_534 ? 2 : this.next + 1;
      // Skip x.y.N.0 and x.y.N.255 so every address looks like an ordinary host address.
      if (candidate % 256 === 0 || candidate % 256 === 255 || this.used.has(candidate)) continue;
      this.used.add(candidate);
      const ip = `${this.prefix16}.${candidate >> 8}.${candidate & 255}`;
      this.byOwner.set(owner, ip);
      return ip;
    }
    throw new Error(`pod IP range ${this.prefix16}.0.0/16 is exhausted`);
  }

  release(owner: string): void {
    const ip = this.byOwner.get(owner);
    if (!ip) return;
    this.byOwner.delete(owner);
    const [, , c, d] = ip.split('.').map(Number);
    this.used.delete(((c ?? 0) << 8) + (d ?? 0));
  }
}

/** A per-cluster /16 inside 10.0.0.0/8, so two dev clusters never show the same pod IPs. */
export function podIpPrefixForCluster(clusterName: string): string {
  let hash = 0;
  for (const ch of clusterName) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.${200 + (hash % 50)}`;
}
