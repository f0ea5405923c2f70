import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FerryInputError } from '../errors/index.js';
import { silentLogger } from '../engine/silent-logger.js';
import { definePlugin } from './define-plugin.js';
import { parsePluginOptions } from './plugin-options.js';
import { PluginRegistry } from './registry.js';
import type { JudgeV1, StepKindV1 } from './contracts.js';

const stepKind = (kind: string): StepKindV1 => ({ specificationVersion: 'v1', kind, run: async () => ({ status: 'succeeded' }) });

describe('plugin registry', () => {
  it('collects every kind of contribution through the plugin context', () => {
    const registry = new PluginRegistry(silentLogger);
    const judge: JudgeV1 = { specificationVersion: 'v1', kind: 'fair', judge: () => ({ verdict: 'pass', reasons: [], perMetric: [] }) };
    registry.register(
      definePlugin({
        id: 'acme.all',
        register(ctx) {
          ctx.stepKinds.add(stepKind('smoke'));
          ctx.judges.add(judge);
          ctx.logger.info('registered');
        },
      }),
    );
    expect(registry.stepKind('smoke').kind).toBe('smoke');
    expect(registry.judge('fair')).toBe(judge);
    expect(registry.pluginIdList()).toEqual(['acme.all']);
    expect(() => registry.stepKind('nope')).toThrow(/no step kind "nope"/);
    expect(() => registry.clusterConnectorFor('prod')).toThrow(/no cluster connector reaches account "prod"/);
  });

  it('refuses a duplicate kind, naming both plugins', () => {
    const registry = new PluginRegistry(silentLogger);
    registry.register(definePlugin({ id: 'first', register: (ctx) => ctx.stepKinds.add(stepKind('smoke')) }));
    const error = (() => {
      try {
        registry.register(definePlugin({ id: 'second', register: (ctx) => ctx.stepKinds.add(stepKind('smoke')) }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error).toMatchObject({ code: 'duplicate_registration', message: 'plugin "second": step kind "smoke" is already registered by plugin "first"' });
  });

  it('refuses the same plugin id twice, a non-v1 contribution and a plugin without id', () => {
    const registry = new PluginRegistry(silentLogger);
    registry.register(definePlugin({ id: 'p', register: () => {} }));
    expect(() => registry.register(definePlugin({ id: 'p', register: () => {} }))).toThrow(/registered twice/);
    const v2 = { ...stepKind('x'), specificationVersion: 'v2' } as unknown as StepKindV1;
    expect(() => registry.register(definePlugin({ id: 'q', register: (ctx) => ctx.stepKinds.add(v2) }))).toThrow(/unsupported specificationVersion "v2"/);
    expect(() => definePlugin({ id: ' ', register: () => {} })).toThrow(FerryInputError);
  });

  it('parsePluginOptions validates with zod and names the plugin and the bad option', () => {
    const schema = z.object({ name: z.string().min(1), url: z.url() });
    expect(parsePluginOptions('jsonEndpoint', schema, { name: 'm', url: 'http://127.0.0.1:9/x' })).toEqual({ name: 'm', url: 'http://127.0.0.1:9/x' });
    const error = (() => {
      try {
        parsePluginOptions('jsonEndpoint', schema, { name: '', url: 'nope' });
      } catch (e) {
        return e as FerryInputError;
      }
    })();
    expect(error?.message).toMatch(/^plugin "jsonEndpoint": invalid options: name: .*; url: /);
    expect(error?.diagnostics.map((d) => d.path)).toEqual(['name', 'url']);
  });
});
