import { readFileSync } from 'node:fs';
import { FerryInputError } from '@ferry/core';

/** Reads a PEM file named by a plugin option, failing with an error that names the plugin and option. */
export function readPem(plugin: string, option: string, path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new FerryInputError(`plugin "${plugin}": invalid options: ${option}: cannot read ${path}: ${(error as Error).message}`, {
      code: 'invalid_plugin_options',
      details: { plugin, option },
    });
  }
}
