import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../errors/index.js';
import { checkReferences } from './check-references.js';
import { checkServices } from './check-services.js';
import { checkVersionAndKind } from './check-version-kind.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { inMemoryManifestFiles } from './manifests/read-manifest-files.js';
import { resolveManifests } from './manifests/resolve-manifests.js';
import { normalize } from './normalize.js';
import { deployFileSchema } from './schema/deploy-file.js';
import { SourceLocator } from './source-locator.js';
import type { DeployFile } from './types.js';
import { reportUnknownKeys } from './unknown-keys.js';
import { yamlErrorMessage } from './yaml-error-message.js';
import { reportZodIssues } from './zod-diagnostics.js';
import { findTemplateProblems } from '../template/check-template-variables.js';

export interface DeployFileOptions {
  /** The file's path: shown in diagnostics, and its directory anchors relative manifest paths. */
  path?: string;
  /** Directory relative manifest paths are resolved against. Default: the file's directory, else the cwd. */
  baseDir?: string;
  /** Used for http(s) manifest URLs. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per-URL timeout for manifest downloads. Default 30 s. */
  manifestFetchTimeoutMs?: number;
  /**
   * Manifest files given in memory, keyed by their path relative to the deployment file
   * (`manifests/app.yaml`): path entries are read only from here, never from the disk. A
   * directory entry matches every key below it. For services that receive a deployment
   * file and its manifests in one request.
   */
  files?: Record<string, string>;
  /** Set false to validate the file alone without reading manifests (e.g. offline). Default true. */
  resolveManifests?: boolean;
}

export interface DeployFileValidation {
  /** Present when there are no errors. */
  file?: DeployFile;
  /** Every error and warning, in source order. */
  diagnostics: Diagnostic[];
}

const INLINE_LABEL = '<inline>';

/** Validates deployment-file text and reports every problem; never throws for bad input. */
export async function validateDeployText(text: string, options: DeployFileOptions = {}): Promise<DeployFileValidation> {
  const shownFile = options.path ?? INLINE_LABEL;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const locator = new SourceLocator(doc, lines, text);
  const sink = new DiagnosticSink(shownFile, locator);
  const done = () => ({ diagnostics: sorted(sink.list(), shownFile) });

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      sink.add({ severity: 'error', code: 'yaml_syntax', path: '', message: yamlErrorMessage(error, text), file: shownFile, line, column: col });
    }
    return done();
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    sink.error([], 'yaml_syntax', `cannot read the YAML: ${(error as Error).message}`);
    return done();
  }
  if (data === null || data === undefined) {
    sink.error([], 'missing_key', 'the file is empty; expected application, targets and manifests');
    return done();
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    sink.error([], 'invalid_type', 'expected a map with application, targets and manifests at the top level');
    return done();
  }
  if (!checkVersionAndKind(data as Record<string, unknown>, sink)) return done();

  reportUnknownKeys(deployFileSchema, data, sink);
  const parsed = deployFileSchema.safeParse(data);
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, data, sink);
    return done();
  }
  const raw = parsed.data;
  checkReferences(raw, sink);
  const config = normalize(raw);
  for (const problem of findTemplateProblems(config)) {
    if (problem.severity === 'error') sink.error(problem.path, problem.code, problem.message);
    else sink.warning(problem.path, problem.code, problem.message);
  }

  let manifests: DeployFile['manifests'] = [];
  if (options.resolveManifests !== false) {
    const errorsBefore = sink.errorCount();
    const baseDir = options.baseDir ?? (options.path ? path.dirname(path.resolve(options.path)) : process.cwd());
    const displayDir = options.path ? path.dirname(options.path) : baseDir;
    manifests = await resolveManifests(
      config.manifests,
      {
        baseDir,
        displayDir,
        locator,
        ...(options.files ? { files: inMemoryManifestFiles(options.files, baseDir) } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.manifestFetchTimeoutMs ? { fetchTimeoutMs: options.manifestFetchTimeoutMs } : {}),
      },
      sink,
    );
    checkServices(config, manifests, sink.errorCount() === errorsBefore, sink);
  }

  const diagnostics = sorted(sink.list(), shownFile);
  if (sink.hasErrors()) return { diagnostics };
  const filePath = options.path ? path.resolve(options.path) : INLINE_LABEL;
  return { file: { path: filePath, config, manifests, warnings: diagnostics }, diagnostics };
}

/** Reads and validates a deployment file; a missing or unreadable file is a diagnostic too. */
export async function validateDeployFile(file: string, options: Omit<DeployFileOptions, 'path'> = {}): Promise<DeployFileValidation> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `deployment file "${file}" does not exist` : `cannot read deployment file "${file}": ${(error as Error).message}`;
    return { diagnostics: [{ severity: 'error', code: code === 'ENOENT' ? 'file_not_found' : 'file_unreadable', path: '', message, file }] };
  }
  return validateDeployText(text, { ...options, path: file });
}

/** The deployment file's own diagnostics first, in source order; then each manifest file's. */
function sorted(diagnostics: Diagnostic[], mainFile: string): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      Number(a.file !== mainFile) - Number(b.file !== mainFile) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
