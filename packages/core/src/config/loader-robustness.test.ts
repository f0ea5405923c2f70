import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FerryInputError } from '../errors/index.js';
import { parseDeployFile, validateDeployText } from './index.js';

/**
 * Property: whatever a user does to a valid file, the loader answers with diagnostics (or a
 * successful load), never a crash. validateDeployText never throws; parseDeployFile throws
 * only FerryInputError.
 */
const validDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/valid');
const seeds = ['canary.yml', 'blue-green.yml', 'minimal.yml'].map((name) => readFileSync(path.join(validDir, name), 'utf8'));

// URLs can appear after mutation; the property is about the loader, not the network.
const offline: typeof fetch = async () => {
  throw new Error('network is not used in this test');
};
const options = { baseDir: validDir, path: path.join(validDir, 'mutated.yml'), fetch: offline };

async function assertNoCrash(text: string): Promise<void> {
  const result = await validateDeployText(text, options);
  expect(Array.isArray(result.diagnostics)).toBe(true);
  expect(result.file === undefined).toBe(result.diagnostics.some((d) => d.severity === 'error'));
  try {
    await parseDeployFile(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FerryInputError);
  }
}

type Mutation =
  | { op: 'delete'; picks: number[] }
  | { op: 'retype'; picks: number[]; value: unknown }
  | { op: 'rename'; picks: number[]; name: string }
  | { op: 'insert'; picks: number[]; name: string; value: unknown };

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'none', 'MINUTES', 'v2', 'lambda', 'prod-west', 'errorRate', '{{armory.nope}}', '{{context.x}}'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxKeys: 3 }),
);
const keyName = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('unit', 'units', 'setWeight', 'pause', 'weight', 'strategy', 'dependsOn', 'targets', 'inline', 'path', 'canary', 'blueGreen', '__proto__', 'constructor'),
);
const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 8 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), picks }),
  fc.record({ op: fc.constant('retype' as const), picks, value: junk }),
  fc.record({ op: fc.constant('rename' as const), picks, name: keyName }),
  fc.record({ op: fc.constant('insert' as const), picks, name: keyName, value: junk }),
);

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/** Walks down by the picks and returns a container and one of its keys. */
function choose(root: Container, picks: number[]): { parent: Container; key: string | number } | undefined {
  let parent = root;
  for (const [depth, pick] of picks.entries()) {
    const keys: Array<string | number> = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent);
    if (keys.length === 0) return undefined;
    const key = keys[pick % keys.length]!;
    const child = (parent as Record<string | number, unknown>)[key];
    if (depth === picks.length - 1 || !isContainer(child)) return { parent, key };
    parent = child;
  }
  return undefined;
}

function apply(root: Container, m: Mutation): void {
  const spot = choose(root, m.picks);
  if (!spot) return;
  const { parent, key } = spot;
  const record = parent as Record<string | number, unknown>;
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete record[key];
  } else if (m.op === 'retype') {
    record[key] = m.value;
  } else if (m.op === 'rename' && !Array.isArray(parent)) {
    const value = record[key];
    delete record[key];
    Object.defineProperty(record, m.name, { value, enumerable: true, writable: true, configurable: true });
  } else if (m.op === 'insert') {
    if (Array.isArray(parent)) parent.push(m.value);
    else Object.defineProperty(record, m.name, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
}

describe('loader robustness (property)', () => {
  it('never crashes on structurally mutated valid files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, mutations) => {
        const data = parse(seeds[seed]!) as Container;
        for (const m of mutations) apply(data, m);
        await assertNoCrash(stringify(data));
      }),
      { numRuns: 300, seed: 20261127 },
    );
  }, 60_000);

  it('never crashes on truncated text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, fraction) => {
        const text = seeds[seed]!;
        await assertNoCrash(text.slice(0, Math.floor(text.length * fraction)));
      }),
      { numRuns: 150, seed: 20261127 },
    );
  }, 60_000);

  it('never crashes when junk text is inserted', async () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(':', '- ', '\n  ', '\t', '{', '}', '[', ']', '&a', '*a', '<<: *a', '!!binary', '|', '>-', '"', "'", '#', '---\n', '? ', '%YAML 1.1\n'),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), piece, async (seed, fraction, inserted) => {
        const text = seeds[seed]!;
        const at = Math.floor(text.length * fraction);
        await assertNoCrash(text.slice(0, at) + inserted + text.slice(at));
      }),
      { numRuns: 300, seed: 20261127 },
    );
  }, 60_000);
});
