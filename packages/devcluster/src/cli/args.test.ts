import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('defaults the cluster name and turns on node and Prometheus', () => {
    const args = parseCliArgs(['start']);
    expect(args).toMatchObject({ command: 'start', name: 'default', node: true, prometheus: true, all: false, lines: 40 });
    expect(args.timeoutMs).toBeUndefined();
  });

  it('reads --name, --no-node, --no-prometheus and --timeout in seconds', () => {
    expect(parseCliArgs(['start', '--name', 'demo', '--no-node', '--no-prometheus', '--timeout', '90'])).toMatchObject({
      name: 'demo',
      node: false,
      prometheus: false,
      timeoutMs: 90_000,
    });
  });

  it('takes CRD bundles as positionals and defaults to all of them', () => {
    expect(parseCliArgs(['crds', 'smi', 'istio']).bundles).toEqual(['smi', 'istio']);
    expect(parseCliArgs(['crds']).bundles).toEqual(['smi', 'istio', 'gatewayApi']);
  });

  it('rejects unknown commands, bundles, stray arguments and bad numbers', () => {
    expect(() => parseCliArgs([])).toThrow(/missing command/);
    expect(() => parseCliArgs(['restart'])).toThrow(/unknown command 'restart'/);
    expect(() => parseCliArgs(['crds', 'linkerd'])).toThrow(/unknown CRD bundle 'linkerd'/);
    expect(() => parseCliArgs(['stop', 'now'])).toThrow(/unexpected argument 'now'/);
    expect(() => parseCliArgs(['start', '--timeout', 'soon'])).toThrow(/--timeout/);
    expect(() => parseCliArgs(['logs', '--lines', '0'])).toThrow(/--lines/);
    expect(() => parseCliArgs(['start', '--bogus'])).toThrow();
  });
});
