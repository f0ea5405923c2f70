/**
 * Ferry's error hierarchy. Every error that crosses a package boundary is a FerryError with
 * a stable machine-readable `code`; the few subclasses below map onto HTTP and gRPC statuses
 * in exactly one place (./status.ts).
 */

/** One problem found in user input, located by key path and (for files) line:column. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable identifier of the kind of problem, e.g. `unknown_key`, `dangling_reference`. */
  code: string;
  /** Key path in the input, e.g. `targets.prod.constraints.dependsOn[0]`. Empty for the root. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface FerryErrorOptions {
  cause?: unknown;
  /** Extra structured facts, safe to show to users (never secrets). */
  details?: Record<string, unknown>;
}

export class FerryError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: FerryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** The caller sent something wrong: a bad file, option, argument or request body. */
export class FerryInputError extends FerryError {
  readonly diagnostics: Diagnostic[];

  constructor(message: string, options: FerryErrorOptions & { code?: string; diagnostics?: Diagnostic[] } = {}) {
    super(options.code ?? 'invalid_input', message, options);
    this.diagnostics = options.diagnostics ?? [];
  }
}

export class FerryNotFoundError extends FerryError {
  constructor(message: string, options: FerryErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'not_found', message, options);
  }
}

/** The request conflicts with current state, e.g. a deployment of the application is in flight. */
export class FerryConflictError extends FerryError {
  constructor(message: string, options: FerryErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'conflict', message, options);
  }
}

export class FerryUnauthenticatedError extends FerryError {
  constructor(message: string, options: FerryErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'unauthenticated', message, options);
  }
}

export class FerryForbiddenError extends FerryError {
  constructor(message: string, options: FerryErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'forbidden', message, options);
  }
}

/** A dependency (cluster, metric provider, store, agent) could not be reached; retrying may help. */
export class FerryUnavailableError extends FerryError {
  constructor(message: string, options: FerryErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'unavailable', message, options);
  }
}

export function isFerryError(value: unknown): value is FerryError {
  return value instanceof FerryError;
}

/** Wraps anything thrown into a FerryError, keeping the original as `cause`. */
export function toFerryError(value: unknown, code = 'internal'): FerryError {
  if (value instanceof FerryError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new FerryError(code, message, { cause: value });
}

/** Renders a diagnostic the way `ferry validate` prints it: `file:line:col path: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''} ` : '';
  const path = d.path ? `${d.path}: ` : '';
  return `${where}${d.severity}: ${path}${d.message}`;
}
