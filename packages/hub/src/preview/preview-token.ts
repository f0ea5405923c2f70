import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit unguessable token, URL-safe. Handed out once inside the preview URL. */
export function mintPreviewToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token: a stolen table yields no working link. */
export function hashPreviewToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
