import { randomUUID } from 'node:crypto';
import { FerryInputError, httpStatusOf, isFerryError, toFerryError, type FerryError } from '@ferry/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

/** The one error shape every hub route answers (Armory's): `{error_id, errors: [{message, code, metadata}]}`. */
export interface ErrorBody {
  error_id: string;
  errors: Array<{ message: string; code: string; metadata: Record<string, unknown> }>;
}

/** Maps anything thrown to a FerryError: zod issues become a 400 naming each path, fastify's 4xx keep their status. */
export function normalizeError(error: unknown): { status: number; body: Omit<ErrorBody, 'error_id'>; internal: boolean } {
  if (error instanceof ZodError) {
    return {
      status: 400,
      internal: false,
      body: {
        errors: error.issues.map((issue) => ({
          message: `${issue.path.join('.') || '(body)'}: ${issue.message}`,
          code: 'invalid_input',
          metadata: { path: issue.path.map(String) },
        })),
      },
    };
  }
  if (!isFerryError(error)) {
    const fastifyError = error as Partial<FastifyError> | undefined;
    const status = fastifyError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own messages (bad JSON, body too large, no route) never quote credentials.
      const ferry = new FerryInputError(fastifyError?.message ?? 'bad request', { code: (fastifyError?.code ?? 'invalid_request').toLowerCase() });
      return { status, internal: false, body: { errors: [{ message: ferry.message, code: ferry.code, metadata: {} }] } };
    }
  }
  const ferry: FerryError = toFerryError(error);
  const status = httpStatusOf(ferry);
  const internal = status >= 500 && !isFerryError(error);
  return {
    status,
    internal,
    body: {
      errors: [
        {
          // Unexpected errors answer generically: their text may hold anything.
          message: internal ? 'internal error' : ferry.message,
          code: internal ? 'internal' : ferry.code,
          metadata: internal ? {} : publicMetadata(ferry),
        },
      ],
    },
  };
}

/** Installs the one error handler and the 404 handler on the server. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = normalizeError(error);
    const errorId = randomUUID();
    const code = body.errors[0]?.code;
    if (status >= 500) request.log.error({ err: error, error_id: errorId, code }, 'request failed');
    else request.log.info({ error_id: errorId, code, status }, 'request refused');
    return reply.code(status).send({ error_id: errorId, ...body } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send({
      error_id: randomUUID(),
      errors: [{ message: `no route ${request.method} ${request.url.split('?')[0]}`, code: 'route_not_found', metadata: {} }],
    } satisfies ErrorBody);
  });
}

function publicMetadata(error: FerryError): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...error.details };
  if (error instanceof FerryInputError && error.diagnostics.length > 0) metadata.diagnostics = error.diagnostics;
  return metadata;
}
