import { FerryInputError, type Diagnostic } from '../errors/index.js';
import { formatKeyPath, type KeyPath } from './key-path.js';
import type { SourceLocator } from './source-locator.js';

/** Collects every problem found in one file, located by key path and line:column. */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly locator?: SourceLocator,
  ) {}

  error(path: KeyPath, code: string, message: string): void {
    this.push('error', path, code, message, false);
  }

  /** Warnings about keys point at the key itself, where the user typed it. */
  warning(path: KeyPath, code: string, message: string, atKey = false): void {
    this.push('warning', path, code, message, atKey);
  }

  /** A diagnostic already located elsewhere (e.g. inside a manifest file). */
  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }

  /** Errors first-come; a warning at the same path as an error adds nothing and is dropped. */
  list(): Diagnostic[] {
    const errorPaths = new Set(this.items.filter((d) => d.severity === 'error').map((d) => d.path));
    return this.items.filter((d) => d.severity === 'error' || !errorPaths.has(d.path));
  }

  private push(severity: Diagnostic['severity'], path: KeyPath, code: string, message: string, atKey: boolean): void {
    const position = this.locator?.locate(path, atKey);
    this.items.push({
      severity,
      code,
      path: formatKeyPath(path),
      message,
      file: this.file,
      ...(position ? { line: position.line, column: position.column } : {}),
    });
  }
}

/** The one error `loadDeployFile` throws: its message lists every error, one per line. */
export function deployFileError(file: string, diagnostics: Diagnostic[]): FerryInputError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const noun = errors.length === 1 ? 'error' : 'errors';
  const lines = errors.map((d) => `  ${formatLocated(d)}`);
  return new FerryInputError(`${file}: ${errors.length} ${noun} in the deployment file\n${lines.join('\n')}`, {
    code: 'invalid_deploy_file',
    diagnostics: errors,
  });
}

/** `file:line:col path: message`, the form editors and terminals turn into links. */
export function formatLocated(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''} ` : '';
  return `${where}${d.path ? `${d.path}: ` : ''}${d.message}`;
}
