import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../api/types.js';
import { analysisSeries, chartDomain } from './analysis-series.js';
import { layoutDag } from './dag-layout.js';
import { podSplits, previewLinks, webhookResults } from './deployment-facts.js';
import { describeEvent, formatAge, formatDuration, isStale, statusTone } from './format.js';
import { deploymentListQuery } from './list-query.js';
import { choicesFromGrants, grantsFromChoices, withoutRole, withRole } from './roles-document.js';
import { routeOf } from './routes.js';
import { parseSettings } from './settings-text.js';

let seq = 0;
function event(type: string, target: string | null, data: Record<string, unknown>, at = 1000): EventPayload {
  seq += 1;
  return { seq, deploymentId: 'd', type, at, atIso: new Date(at).toISOString(), target, stepId: null, data };
}

describe('layoutDag', () => {
  it('puts each target one column right of its deepest dependency', () => {
    const layout = layoutDag([
      { name: 'staging', dependsOn: [] },
      { name: 'test', dependsOn: [] },
      { name: 'prod-eu', dependsOn: ['staging', 'test'] },
      { name: 'prod-us', dependsOn: ['prod-eu'] },
      { name: 'orphan', dependsOn: ['missing'] },
    ]);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.name, [n.column, n.row]]));
    expect(at).toEqual({ staging: [0, 0], test: [0, 1], 'prod-eu': [1, 0], 'prod-us': [2, 0], orphan: [0, 2] });
    expect(layout.columns).toBe(3);
    expect(layout.rows).toBe(3);
    expect(layout.edges).toEqual([
      { from: 'staging', to: 'prod-eu' },
      { from: 'test', to: 'prod-eu' },
      { from: 'prod-eu', to: 'prod-us' },
    ]);
  });
});

describe('analysis series', () => {
  it('groups measurements by target and query with their limits', () => {
    const events = [
      event('analysis.measured', 'prod', { run: 1, query: 'errors', value: 0.5, upperLimit: 2, result: 'pass' }),
      event('step.started', 'prod', {}),
      event('analysis.measured', 'prod', { run: 2, query: 'errors', value: 3, upperLimit: 2, result: 'fail' }),
      event('analysis.measured', 'staging', { run: 1, query: 'errors', value: null, lowerLimit: 0, result: 'nodata' }),
    ];
    const series = analysisSeries(events);
    expect(series).toHaveLength(2);
    expect(series[0]).toMatchObject({ target: 'prod', query: 'errors', upperLimit: 2 });
    expect(series[0]?.points.map((p) => [p.run, p.value, p.result])).toEqual([
      [1, 0.5, 'pass'],
      [2, 3, 'fail'],
    ]);
    expect(series[1]?.points[0]?.value).toBeNull();
    const domain = chartDomain(series[0]!);
    expect(domain.min).toBeLessThan(0.5);
    expect(domain.max).toBeGreaterThan(3);
    expect(chartDomain({ target: '', query: 'q', points: [] })).toEqual({ min: 0, max: 1 });
  });
});

describe('deployment facts from events', () => {
  it('keeps the latest weight and pods per target', () => {
    const splits = podSplits([
      event('strategy.weightSet', 'prod', { weight: 25, deployments: [{ deployment: 'web', canary: 1, stable: 3, mode: 'podRatio' }] }),
      event('strategy.weightSet', 'prod', { weight: 50, deployments: [{ deployment: 'web', canary: 2, stable: 2, mode: 'podRatio' }] }),
    ]);
    expect(splits.get('prod')).toEqual({ weight: 50, pods: [{ deployment: 'web', canary: 2, stable: 2, mode: 'podRatio' }] });
  });

  it('joins a webhook sent with its callback and markdown message', () => {
    const results = webhookResults([
      event('webhook.sent', 'prod', { webhook: 'checks', status: 202 }),
      event('webhook.callback', 'prod', { webhook: 'checks', success: false, by: 'ci', mdMessage: '**2 tests failed**' }),
    ]);
    expect(results).toEqual([{ target: 'prod', stepId: null, webhook: 'checks', httpStatus: 202, success: false, by: 'ci', mdMessage: '**2 tests failed**', at: 1000 }]);
  });

  it('reads preview links with their expiry, ignoring non-http URLs', () => {
    const links = previewLinks([
      event('preview.created', 'staging', { links: [{ service: 'web', url: 'https://preview.example/web', expiresAt: '2026-01-01T01:00:00Z' }, { url: 'javascript:alert(1)' }] }),
      event('step.completed', 'staging', { url: 'https://not-a-preview' }),
    ]);
    expect(links).toEqual([{ target: 'staging', service: 'web', url: 'https://preview.example/web', expiresAt: Date.parse('2026-01-01T01:00:00Z') }]);
  });
});

describe('formatting', () => {
  it('writes durations and ages for people', () => {
    expect(formatDuration(4_000)).toBe('4 s');
    expect(formatDuration(250_000)).toBe('4 min 10 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:12Z'))).toBe('12 s ago');
    expect(formatAge(Date.parse('2026-01-01T00:05:00Z'), Date.parse('2026-01-01T00:00:00Z'))).toBe('in 5 min');
    expect(formatAge(null, 0)).toBe('—');
    expect(isStale('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:02:00Z'))).toBe(true);
    expect(statusTone('ROLLED_BACK')).toBe('bad');
    expect(statusTone('PAUSED')).toBe('waiting');
    expect(statusTone('AWAITING_APPROVAL')).toBe('waiting');
    expect(describeEvent({ type: 'strategy.weightSet', target: 'prod', stepId: null, data: { weight: 25 } })).toBe('Canary weight set to 25% in prod');
  });
});

describe('small parsers', () => {
  it('routes console paths', () => {
    expect(routeOf('/console/')).toEqual({ page: 'deployments' });
    expect(routeOf('/console/deployments/abc%2F1')).toEqual({ page: 'deployment', id: 'abc/1' });
    expect(routeOf('/console/configure/secrets')).toEqual({ page: 'secrets' });
    expect(routeOf('/console/configure/nope')).toEqual({ page: 'deployments' });
  });

  it('builds the list query from the filters', () => {
    expect(deploymentListQuery({ application: ' web ', status: '', target: 'prod' })).toBe('?application=web&target=prod&limit=100');
  });

  it('parses integration settings as key=value lines or JSON', () => {
    expect(parseSettings('url=http://p:9090\ntimeoutMs=500\n# note\ninsecure=false')).toEqual({ url: 'http://p:9090', timeoutMs: 500, insecure: false });
    expect(parseSettings('{"site":"datadoghq.eu"}')).toEqual({ site: 'datadoghq.eu' });
    expect(() => parseSettings('novalue')).toThrow('Settings line 1: expected key=value');
    expect(() => parseSettings('[1]')).toThrow('expected key=value');
  });

  it('edits one role of the tenant and leaves other tenants out of the document', () => {
    const roles = [
      { name: 'A', tenant: 't', grants: [] },
      { name: 'B', tenant: 't', grants: [] },
      { name: 'A', tenant: 'other', grants: [] },
    ];
    const grants = grantsFromChoices({ deployment: 'full', secret: 'read', user: 'none' });
    expect(grants).toEqual([
      { type: 'api', resource: 'deployment', permission: 'full' },
      { type: 'api', resource: 'secret', permission: 'read' },
    ]);
    expect(withRole(roles, 't', { name: 'A', grants }).roles).toEqual([
      { name: 'B', tenant: 't', grants: [] },
      { name: 'A', tenant: 't', grants },
    ]);
    expect(withoutRole(roles, 't', 'A').roles).toEqual([{ name: 'B', tenant: 't', grants: [] }]);
    expect(choicesFromGrants(grants)).toEqual({ deployment: 'full', secret: 'read' });
  });
});
