import {
  FerryConflictError,
  FerryForbiddenError,
  FerryInputError,
  FerryNotFoundError,
  FerryUnauthenticatedError,
  FerryUnavailableError,
} from './ferry-error.js';

/** gRPC status codes used by Ferry (numbers from the gRPC spec; core does not depend on grpc-js). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

interface StatusPair {
  http: number;
  grpc: number;
}

// Order matters only if one class ever extends another; today they are siblings.
const BY_CLASS: Array<[abstract new (...args: never[]) => Error, StatusPair]> = [
  [FerryInputError, { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT }],
  [FerryUnauthenticatedError, { http: 401, grpc: GrpcStatus.UNAUTHENTICATED }],
  [FerryForbiddenError, { http: 403, grpc: GrpcStatus.PERMISSION_DENIED }],
  [FerryNotFoundError, { http: 404, grpc: GrpcStatus.NOT_FOUND }],
  [FerryConflictError, { http: 409, grpc: GrpcStatus.ABORTED }],
  [FerryUnavailableError, { http: 503, grpc: GrpcStatus.UNAVAILABLE }],
];

function statusOf(error: unknown): StatusPair {
  const hit = BY_CLASS.find(([cls]) => error instanceof cls);
  return hit ? hit[1] : { http: 500, grpc: GrpcStatus.INTERNAL };
}

/** The HTTP status a REST API answers with for this error. */
export function httpStatusOf(error: unknown): number {
  return statusOf(error).http;
}

/** The gRPC status code an RPC fails with for this error. */
export function grpcStatusOf(error: unknown): number {
  return statusOf(error).grpc;
}
