export {
  FerryError,
  FerryInputError,
  FerryNotFoundError,
  FerryConflictError,
  FerryUnauthenticatedError,
  FerryForbiddenError,
  FerryUnavailableError,
  isFerryError,
  toFerryError,
  formatDiagnostic,
  type Diagnostic,
  type FerryErrorOptions,
} from './ferry-error.js';
export { httpStatusOf, grpcStatusOf, GrpcStatus } from './status.js';
