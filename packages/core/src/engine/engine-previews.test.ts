import { describe, expect, it } from 'vitest';
import { definePlugin } from '../plugins/define-plugin.js';
import { driveToEnd, testDeployFile, testTarget } from '../testing/index.js';
import { createHarness } from './engine-harness.test-support.js';

describe('engine: {{armory.preview.SVC}}', () => {
  it('hands later steps of the target the links an exposeServices step kept in its state', async () => {
    const h = createHarness();
    const seen: Array<Record<string, string>> = [];
    const engine = h.another({
      plugins: [
        definePlugin({
          id: 'test.previews',
          register(ctx) {
            // What the hub's step kind keeps: one link per exposed service.
            ctx.stepKinds.add({
              specificationVersion: 'v1',
              kind: 'exposeServices',
              async run(c) {
                const services = (c.step.config as { services: string[] }).services;
                return { status: 'succeeded', state: { previews: Object.fromEntries(services.map((s) => [s, { url: `https://hub.test/preview/${s}-token/`, expiresAt: 1 }])) } };
              },
            });
            ctx.stepKinds.add({
              specificationVersion: 'v1',
              kind: 'recordVariables',
              async run(c) {
                seen.push({ ...c.variables.armory });
                return { status: 'succeeded' };
              },
            });
            ctx.clusterConnectors.add(h.cluster.connector);
          },
        }),
      ],
    });
    const file = testDeployFile({
      targets: {
        dev: testTarget('dev', {
          before: [{ kind: 'exposeServices', services: ['web', 'api'] }],
          after: [{ kind: 'custom', stepKind: 'recordVariables', config: {} }],
        }),
      },
    });
    const d = await engine.start(file);
    expect((await driveToEnd(engine, h.clock, d.id)).state.status).toBe('SUCCEEDED');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ 'preview.web': 'https://hub.test/preview/web-token/', 'preview.api': 'https://hub.test/preview/api-token/' });
    await engine.close();
    await h.engine.close();
  });
});
