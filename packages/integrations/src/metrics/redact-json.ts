import type { Json } from '@ferry/core';
import type { Redactor } from '../http/index.js';

/** A JSON value with every secret the redactor knows replaced, wherever it occurs. */
export function redactJson(value: Json, redact: Redactor): Json {
  return JSON.parse(redact(JSON.stringify(value))) as Json;
}
