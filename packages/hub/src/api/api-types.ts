import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from '../contracts.js';
import type { EventStreams } from './events/event-stream.js';

/** The fastify instance routes are declared on: zod schemas type the handlers. */
export function withZod(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
export type ApiInstance = ReturnType<typeof withZod>;

/** What every route module receives. */
export interface RouteDeps {
  ctx: ApiContext;
  streams: EventStreams;
}
