import { describe, expect, it } from 'vitest';
import { Allowlist } from './allowlist.js';

describe('Allowlist', () => {
  const allowlist = new Allowlist(['prometheus.monitoring.svc:9090', 'jenkins.internal', '*.hooks.example.com']);

  it('allows a host on its port, a host on any port, and subdomains of a wildcard', () => {
    expect(allowlist.allows(new URL('http://prometheus.monitoring.svc:9090/api/v1/query'))).toBe(true);
    expect(allowlist.allows(new URL('https://jenkins.internal/job/x'))).toBe(true);
    expect(allowlist.allows(new URL('http://jenkins.internal:8080/'))).toBe(true);
    expect(allowlist.allows(new URL('https://a.hooks.example.com/'))).toBe(true);
  });

  it('refuses other ports, other hosts, look-alike suffixes and the wildcard domain itself', () => {
    expect(allowlist.allows(new URL('http://prometheus.monitoring.svc:9091/'))).toBe(false);
    expect(allowlist.allows(new URL('http://prometheus.monitoring.svc/'))).toBe(false);
    expect(allowlist.allows(new URL('http://169.254.169.254/latest/meta-data'))).toBe(false);
    expect(allowlist.allows(new URL('https://evilhooks.example.com/'))).toBe(false);
    expect(allowlist.allows(new URL('https://hooks.example.com/'))).toBe(false);
    expect(allowlist.allows(new URL('http://jenkins.internal.attacker.net/'))).toBe(false);
  });

  it('describes itself for error messages', () => {
    expect(new Allowlist([]).describe()).toBe('only the cluster API');
    expect(allowlist.describe()).toBe('the cluster API and prometheus.monitoring.svc:9090, jenkins.internal, *.hooks.example.com');
  });
});
