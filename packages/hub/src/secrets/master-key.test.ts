import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryInputError } from '@ferry/core';
import { open, seal } from './aes-gcm.js';
import { generateMasterKeyFile, loadMasterKey, MASTER_KEY_ENV } from './master-key.js';

describe('master key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-master-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 0600 key file once and loads it back', () => {
    const path = join(dir, 'keys', 'master.key');
    const key = generateMasterKeyFile(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ file: path }).equals(key)).toBe(true);
    expect(() => generateMasterKeyFile(path)).toThrow(/EEXIST/);
  });

  it('reads hex and base64, from a file or FERRY_MASTER_KEY', () => {
    const key = randomBytes(32);
    const hexFile = join(dir, 'hex.key');
    writeFileSync(hexFile, `${key.toString('hex')}\n`);
    expect(loadMasterKey({ file: hexFile }).equals(key)).toBe(true);
    expect(loadMasterKey({ env: { [MASTER_KEY_ENV]: key.toString('base64') } }).equals(key)).toBe(true);
    expect(loadMasterKey({ env: { [MASTER_KEY_ENV]: key.toString('base64url') } }).equals(key)).toBe(true);
  });

  it('refuses missing, unreadable and wrong-sized keys without echoing them', () => {
    expect(() => loadMasterKey({ env: {} })).toThrow(FerryInputError);
    expect(() => loadMasterKey({ file: join(dir, 'absent.key') })).toThrow(/masterKeyFile: cannot read/);
    const short = randomBytes(16).toString('hex');
    const error = (() => {
      try {
        loadMasterKey({ env: { [MASTER_KEY_ENV]: short } });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error?.message).toMatch(/32 bytes/);
    expect(error?.message).not.toContain(short);
  });
});

describe('AES-256-GCM sealing', () => {
  it('opens only with the same key and AAD', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('hello'), 'tenant-a:NAME');
    expect(open(key, sealed, 'tenant-a:NAME').toString()).toBe('hello');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(() => open(key, sealed, 'tenant-b:NAME')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'tenant-a:NAME')).toThrow();
    expect(seal(key, Buffer.from('hello'), 'x').iv).not.toBe(seal(key, Buffer.from('hello'), 'x').iv);
  });
});
