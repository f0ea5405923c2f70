import { FerryInputError, type Diagnostic } from '@ferry/core';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

/**
 * Turns request-schema failures into one FerryInputError whose message names every path
 * (`body.deployFile: expected string`), so the server's error handler answers 400 in the
 * standard error shape whatever compiler produced the failure.
 */
export function formatValidationError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const diagnostics: Diagnostic[] = errors.map((error) => {
    const path = [dataVar, ...pathSegmentsOf(error)].join('.');
    return { severity: 'error', code: 'invalid_request', path, message: error.message ?? 'is invalid' };
  });
  const message = diagnostics.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new FerryInputError(message || `${dataVar} is invalid`, { code: 'invalid_request', diagnostics, details: { paths: diagnostics.map((d) => d.path) } });
}

function pathSegmentsOf(error: FastifySchemaValidationError): string[] {
  // fastify-type-provider-zod puts the zod issue path in params.issue.path; ajv uses instancePath.
  const issue = (error.params as { issue?: { path?: PropertyKey[] } } | undefined)?.issue;
  if (issue?.path) return issue.path.map(String);
  return error.instancePath.split('/').filter((s) => s.length > 0);
}
