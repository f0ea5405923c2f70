import { createHash } from 'node:crypto';

// Kubernetes' "safe" alphabet: no vowels (no accidental words) and no look-alikes (0/o, 1/l, 3/e).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const LENGTH = 10;

/**
 * The pod-template-hash of a Deployment's pod template, deterministic across processes
 * and versions of Ferry:
 *
 * 1. serialize the template as canonical JSON: object keys sorted by UTF-16 code unit,
 *    no whitespace, `undefined` members dropped (as JSON.stringify does);
 * 2. SHA-256 of its UTF-8 bytes;
 * 3. the first 10 bytes of the digest, each mapped to `ALPHABET[byte % 27]`.
 *
 * The input is the template as the user wrote it, before Ferry adds its labels,
 * annotations and env vars, so the same manifest always yields the same ReplicaSet name,
 * whatever the deployment id. 27^10 ≈ 2·10^14 values; collisions between two versions of
 * one Deployment are not a practical concern.
 */
export function podTemplateHash(template: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(template)).digest();
  let out = '';
  for (let i = 0; i < LENGTH; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

/** JSON with object keys sorted, so that key order in the manifest does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
