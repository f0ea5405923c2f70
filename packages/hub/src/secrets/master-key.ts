import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FerryInputError } from '@ferry/core';

/** The environment variable the master key may come from (base64 or hex, 32 bytes). */
export const MASTER_KEY_ENV = 'FERRY_MASTER_KEY';

export interface LoadMasterKeyOptions {
  /** A file holding the key as base64 or hex text. */
  file?: string;
  /** The environment to read `FERRY_MASTER_KEY` from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the 32-byte master key that wraps every tenant's data key. The file wins over the
 * environment. Errors say where the key came from, never what it is.
 */
export function loadMasterKey(options: LoadMasterKeyOptions = {}): Buffer {
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new FerryInputError(`masterKeyFile: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
        code: 'master_key_unreadable',
      });
    }
    return decodeMasterKey(text, `masterKeyFile (${options.file})`);
  }
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') {
    throw new FerryInputError(`${MASTER_KEY_ENV}: no master key (set ${MASTER_KEY_ENV} or give a key file)`, { code: 'master_key_missing' });
  }
  return decodeMasterKey(fromEnv, MASTER_KEY_ENV);
}

/** Writes a fresh random key (base64) readable by the owner only; for the hub's first start. */
export function generateMasterKeyFile(path: string): Buffer {
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // `wx` refuses to overwrite: replacing an existing key would make every secret unreadable.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function decodeMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : decodeBase64(trimmed);
  if (key?.length !== 32) {
    throw new FerryInputError(`${source}: the master key must be 32 bytes, base64 or hex encoded`, { code: 'master_key_invalid' });
  }
  return key;
}

function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  return Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}
