import { describe, expect, it } from 'vitest';
import { IpAllocator, podIpPrefixForCluster } from './ip-allocator.js';

describe('IpAllocator', () => {
  it('gives each owner a stable, distinct host address and reuses released ones', () => {
    const ips = new IpAllocator('10.244');
    const a = ips.allocate('a');
    expect(a).toBe('10.244.0.2');
    expect(ips.allocate('a')).toBe(a);
    const seen = new Set([a]);
    for (let i = 0; i < 600; i++) seen.add(ips.allocate(`pod-${i}`));
    expect(seen.size).toBe(601);
    for (const ip of seen) expect(ip).not.toMatch(/\.(0|255)$/);
    ips.release('a');
    expect(ips.allocate('b')).not.toBe(undefined);
  });

  it('derives a per-cluster prefix inside 10.200–10.249', () => {
    const prefix = podIpPrefixForCluster('ferry-dev');
    expect(prefix).toMatch(/^10\.(2[0-4]\d)$/);
    expect(podIpPrefixForCluster('ferry-dev')).toBe(prefix);
  });
});
