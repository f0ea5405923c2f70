import { createFakeCluster, type FakeCluster } from '@ferry/core/testing';
import { FerryInputError, FerryNotFoundError, type KubeObject } from '@ferry/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { smi, smiTrafficProvider } from './smi.js';
import { CANARY, driver, replicaSet, service, specAndName, STABLE } from './test-support/fixtures.js';

const NS = 'shop';
const ACCOUNT = 'prod';
const ref = (kind: string, name: string, apiVersion = 'v1') => ({ apiVersion, kind, name, namespace: NS });
const splitRef = (name = 'web') => ref('TrafficSplit', name, 'split.smi-spec.io/v1alpha2');

let fake: FakeCluster;
beforeEach(() => {
  fake = createFakeCluster();
  fake.seed(ACCOUNT, service('web', NS));
  fake.seed(ACCOUNT, replicaSet(STABLE, NS, 3));
  fake.seed(ACCOUNT, replicaSet(CANARY, NS, 1));
});

const client = () => fake.client(ACCOUNT, NS);
const get = (r: ReturnType<typeof ref>) => client().get(r);
const weights = async (name = 'web') => ((await get(splitRef(name)))?.spec as { backends: Array<{ service: string; weight: number }> }).backends;

describe('smi traffic provider', () => {
  it('creates the canary and stable-pinned Services and a TrafficSplit, moves the weights, and removes them all on restore', async () => {
    const d = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    const before = fake.snapshot(ACCOUNT);
    await d.prepare();
    expect(fake.snapshot(ACCOUNT)).toBe(before); // prepare only looks

    for (const weight of [0, 25, 50, 100]) {
      await d.setWeight(weight);
      expect(await weights()).toEqual([
        { service: 'web-stable', weight: 100 - weight },
        { service: 'web-canary', weight },
      ]);
      expect(await d.verifyWeight(weight)).toBe(true);
      expect(await d.verifyWeight(weight === 100 ? 50 : 100)).toBe(false);
    }
    expect((await get(splitRef()))?.spec).toMatchObject({ service: 'web' });
    const canary = await get(ref('Service', 'web-canary'));
    expect(canary?.spec).toMatchObject({ selector: { app: 'web', 'ferry.dev/pod-template-hash': CANARY.podTemplateHash }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    expect((await get(ref('Service', 'web-stable')))?.spec).toMatchObject({ selector: { app: 'web', 'ferry.dev/pod-template-hash': STABLE.podTemplateHash } });

    await d.restore();
    expect(fake.snapshot(ACCOUNT)).toBe(before);
  });

  it('sets a weight idempotently: a repeated call writes the same objects', async () => {
    const d = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    await d.prepare();
    await d.setWeight(25);
    const once = fake.snapshot(ACCOUNT);
    await d.setWeight(25);
    expect(fake.snapshot(ACCOUNT)).toBe(once);
  });

  it("puts the user's own TrafficSplit and canary Service back exactly, after a promotion and after a rollback", async () => {
    const userSplit: KubeObject = {
      apiVersion: 'split.smi-spec.io/v1alpha2',
      kind: 'TrafficSplit',
      metadata: { name: 'web-split', namespace: NS },
      spec: { service: 'web', backends: [{ service: 'web-v1', weight: 100 }] },
    };
    fake.seed(ACCOUNT, userSplit);
    fake.seed(ACCOUNT, service('web-canary', NS, { app: 'web', track: 'canary' }));
    const originals = await Promise.all([get(splitRef('web-split')), get(ref('Service', 'web-canary'))]);
    const config = { rootServiceName: 'web', trafficSplitName: 'web-split' };

    for (const path of [[25, 50, 100], [25, 0]]) {
      const d = driver(smiTrafficProvider, client(), NS, config);
      await d.prepare();
      for (const w of path) await d.setWeight(w);
      expect(await weights('web-split')).toEqual([
        { service: 'web-stable', weight: 100 - path.at(-1)! },
        { service: 'web-canary', weight: path.at(-1)! },
      ]);
      expect(((await get(ref('Service', 'web-canary')))?.spec as { selector: unknown }).selector).toMatchObject({ app: 'web', 'ferry.dev/pod-template-hash': CANARY.podTemplateHash });
      expect(await d.verifyWeight(path.at(-1)!)).toBe(true);
      await d.restore();
      expect((await Promise.all([get(splitRef('web-split')), get(ref('Service', 'web-canary'))])).map(specAndName)).toEqual(originals.map(specAndName));
      expect(await get(ref('Service', 'web-stable'))).toBeNull();
      await d.restore(); // idempotent
      expect((await get(splitRef('web-split')))?.spec).toEqual(userSplit.spec);
    }
  });

  it("recognises objects it created in a run that crashed before its state was saved", async () => {
    const first = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    await first.prepare();
    await first.setWeight(25);
    const second = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    await second.prepare();
    await second.restore();
    expect(await get(splitRef())).toBeNull();
    expect(await get(ref('Service', 'web-canary'))).toBeNull();
  });

  it("still finds the user's original TrafficSplit when prepare runs again after Ferry had changed it", async () => {
    const userSplit: KubeObject = { apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'TrafficSplit', metadata: { name: 'web', namespace: NS }, spec: { service: 'web', backends: [{ service: 'web', weight: 100 }] } };
    fake.seed(ACCOUNT, userSplit);
    const first = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    await first.prepare();
    await first.setWeight(25);
    // The step crashed before its state was saved: the strategy prepares again.
    const second = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    expect(await second.prepare()).toEqual(first.state);
    await second.setWeight(50);
    await second.restore();
    const restored = await get(splitRef());
    expect(restored?.spec).toEqual(userSplit.spec);
    expect(restored?.metadata.annotations ?? {}).toEqual({});
  });

  it('names the missing root Service, and rejects bad configuration and weights', async () => {
    const missing = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'nope' });
    await expect(missing.prepare()).rejects.toThrow(FerryNotFoundError);
    await expect(missing.prepare()).rejects.toThrow(`Service/nope in namespace ${NS} does not exist (named by trafficManagement smi.rootServiceName)`);
    await expect(driver(smiTrafficProvider, client(), NS, { rootService: 'web' }).prepare()).rejects.toThrow(/trafficManagement smi: invalid configuration: smi.rootServiceName/);
    const d = driver(smiTrafficProvider, client(), NS, { rootServiceName: 'web' });
    await expect(d.setWeight(25)).rejects.toThrow(/called without the state its prepare returned/);
    await d.prepare();
    await expect(d.setWeight(101)).rejects.toThrow(FerryInputError);
    expect(() => smi({ extra: true } as never)).toThrow(/plugin "smi": invalid options/);
  });
});
