import { LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../errors/index.js';
import { yamlErrorMessage } from '../yaml-error-message.js';
import type { KubeObject } from '../types.js';

/** Maps a line:column inside the manifest text to where the user sees it (inline manifests). */
/** Guards against documents whose aliases expand exponentially. */
const MAX_ALIAS_COUNT = 1000;

export type PositionMapper = (line: number, column: number) => { line: number; column: number };

export interface ManifestStreamOptions {
  /** File shown in diagnostics. */
  file: string;
  /** Key path of the manifest entry, e.g. `manifests[0].path`. */
  keyPath: string;
  mapPosition?: PositionMapper;
}

export interface ParsedManifestStream {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

/**
 * A multi-document YAML stream of Kubernetes objects. Empty documents are skipped; every
 * object needs apiVersion, kind and metadata.name, else an error at the document.
 */
export function parseManifestStream(text: string, options: ManifestStreamOptions): ParsedManifestStream {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const objects: KubeObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number, code: string, message: string) => {
    const { line, col } = lines.linePos(offset);
    const position = options.mapPosition ? options.mapPosition(line, col) : { line, column: col };
    diagnostics.push({ severity: 'error', code, path: options.keyPath, message, file: options.file, ...position });
  };

  if (!Array.isArray(documents)) {
    // parseAllDocuments returns an EmptyStream for text without documents.
    return { objects, diagnostics };
  }
  documents.forEach((doc, index) => {
    const label = `document ${index + 1}`;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) report(error.pos[0], 'yaml_syntax', `${label}: ${yamlErrorMessage(error, text)}`);
      return;
    }
    const contents = doc.contents;
    if (contents === null) return;
    const offset = contents.range?.[0] ?? 0;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // Alias expansion beyond the limit (a "billion laughs" document) ends up here.
      report(offset, 'yaml_syntax', `${label}: ${(error as Error).message}`);
      return;
    }
    if (value === null || value === undefined) return;
    const problem = objectProblem(value);
    if (problem) report(offset, 'manifest_invalid', `${label}: ${problem}`);
    else objects.push(value as KubeObject);
  });
  return { objects, diagnostics };
}

function objectProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a Kubernetes object (a map)';
  const object = value as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') missing.push('apiVersion');
  if (typeof object.kind !== 'string' || object.kind === '') missing.push('kind');
  const metadata = object.metadata;
  const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name === '') missing.push('metadata.name');
  if (missing.length === 0) return undefined;
  const kind = typeof object.kind === 'string' ? `${object.kind} ` : '';
  return `${kind}object has no ${missing.join(', ')}`;
}
