import { describe, expect, it } from 'vitest';
import { validateDeployText } from '@ferry/core';
import { planFor } from '../plan.js';
import { runFerry, workspace } from '../test-support/run-ferry.js';
import { kubernetesTemplate, TEMPLATE_FEATURES, TEMPLATE_STRATEGIES } from './kubernetes.js';

describe('ferry template kubernetes', () => {
  for (const strategy of TEMPLATE_STRATEGIES) {
    for (const feature of TEMPLATE_FEATURES) {
      it(`${strategy} -f ${feature} validates without warnings and plans`, async () => {
        const text = kubernetesTemplate(strategy, feature);
        expect(text).toMatch(/^# /); // commented
        const { file, diagnostics } = await validateDeployText(text);
        expect(diagnostics).toEqual([]);
        const planned = planFor(file!);
        expect('plan' in planned ? planned.plan.targets.map((t) => t.name) : planned).toEqual(['staging', 'prod']);
      });
    }
  }

  it('prints the starter file and rejects unknown strategies with exit 2', async () => {
    const ws = workspace({});
    try {
      const run = await runFerry(['template', 'kubernetes', 'bluegreen', '-f', 'automated'], { cwd: ws.dir });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(kubernetesTemplate('bluegreen', 'automated'));
      const fromEnv = await runFerry(['template', 'kubernetes', 'canary'], { cwd: ws.dir, env: { FERRY_FEATURES: 'traffic' } });
      expect(fromEnv.stdout).toBe(kubernetesTemplate('canary', 'traffic'));
      const bad = await runFerry(['template', 'kubernetes', 'linear'], { cwd: ws.dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('linear');
    } finally {
      ws.cleanup();
    }
  });
});
