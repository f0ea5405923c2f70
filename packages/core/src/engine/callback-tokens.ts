import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How many token hashes a step keeps; re-runs after crashes each mint one, so this is plenty. */
export const MAX_TOKENS_PER_STEP = 16;

/** 256 random bits, URL-safe: the token rides in the callback URI's path. */
export function mintCallbackToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashCallbackToken(token) };
}

export function hashCallbackToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether the token matches one of the stored hashes. Comparing fixed-length digests with
 * timingSafeEqual, and always walking every hash, keeps the time independent of how much
 * of a guess was right.
 */
export function matchesCallbackToken(token: string, hashes: readonly string[]): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let found = false;
  for (const hex of hashes) {
    const stored = Buffer.from(hex, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) found = true;
  }
  return found;
}
