import type { YAMLError } from 'yaml';

const KEY_AT = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/;

/** The parser's message, made specific where it can be: a duplicate key is named. */
export function yamlErrorMessage(error: YAMLError, text: string): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = KEY_AT.exec(text.slice(error.pos[0]))?.[1];
    if (key) return `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}`;
  }
  return error.message.split('\n')[0] ?? error.message;
}
