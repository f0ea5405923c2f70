import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryUnavailableError } from '@ferry/core';

/**
 * Finds a Ferry package (e.g. @ferry/agent) the way node would, from this file upwards,
 * without importing it: the CLI works when optional parts are not installed.
 */
export function findPackageDir(name: string, from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The file of a package's `bin` entry, or a clear error naming what is missing. */
export function packageBin(name: string, binName: string, verb: string): string {
  const dir = findPackageDir(name);
  if (!dir) throw new FerryUnavailableError(`ferry ${verb} needs the ${name} package, which is not installed (npm install ${name})`, { code: 'package_missing' });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  const bin = relative ? join(dir, relative) : undefined;
  if (!bin || !existsSync(bin)) throw new FerryUnavailableError(`ferry ${verb} needs ${name} built (${bin ?? `${dir}: no bin ${binName}`} is missing)`, { code: 'package_not_built' });
  return bin;
}

/** Imports a package lazily (its dependencies load only for the verb that needs them). */
export async function importPackage<T>(name: string, verb: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(name)) {
      throw new FerryUnavailableError(`ferry ${verb} needs the ${name} package built and installed (${(error as Error).message})`, { code: 'package_missing', cause: error });
    }
    throw error;
  }
}
