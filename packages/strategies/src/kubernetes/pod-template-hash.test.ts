import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, podTemplateHash } from './pod-template-hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } };

describe('podTemplateHash', () => {
  it('is 10 characters of the vowel-free alphabet', () => {
    expect(podTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('is a fixed function of the template (stable across releases)', () => {
    // Pinned: changing the algorithm renames every managed ReplicaSet, so it must be deliberate.
    // The golden value was computed independently from the documented algorithm:
    // sha256 of the canonical JSON, first 10 bytes mapped onto the 27-character alphabet.
    expect(podTemplateHash(template)).toBe('4fhkfv5cwg');
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }], u: undefined })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
  });

  it('ignores key order', () => {
    const reordered = { spec: { containers: [{ image: 'web:1', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
  });

  it('changes with the template', () => {
    const changed = { ...template, spec: { containers: [{ name: 'web', image: 'web:2' }] } };
    expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template));
  });

  it('gives distinct hashes to distinct images (no collisions in a sample)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 2, maxLength: 30 }), (images) => {
        const hashes = new Set(images.map((image) => podTemplateHash({ spec: { containers: [{ image }] } })));
        expect(hashes.size).toBe(images.length);
      }),
      { numRuns: 50 },
    );
  });
});
