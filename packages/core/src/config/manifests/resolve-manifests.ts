import path from 'node:path';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import type { SourceLocator } from '../source-locator.js';
import type { ManifestSource, ResolvedManifest } from '../types.js';
import { DEFAULT_MANIFEST_FETCH_TIMEOUT_MS, fetchManifest } from './fetch-manifest.js';
import { parseManifestStream, type PositionMapper } from './parse-manifest-stream.js';
import { diskManifestFiles, type ManifestFiles } from './read-manifest-files.js';

export interface ResolveManifestsOptions {
  /** Directory relative paths are resolved against: the deployment file's. */
  baseDir: string;
  /** How that directory is shown in diagnostics, so that file names stay as the user wrote them. */
  displayDir: string;
  fetch?: typeof fetch;
  fetchTimeoutMs?: number;
  /** Locates inline manifests inside the deployment file. */
  locator?: SourceLocator;
  /** Default: the disk. */
  files?: ManifestFiles;
}

const URL_PATTERN = /^https?:\/\//i;

/** Reads, fetches and parses every manifest entry; problems go to the sink. Order is kept. */
export async function resolveManifests(
  sources: readonly ManifestSource[],
  options: ResolveManifestsOptions,
  sink: DiagnosticSink,
): Promise<ResolvedManifest[]> {
  const perEntry = await Promise.all(sources.map((source, index) => resolveOne(source, index, options, sink)));
  return perEntry.flat();
}

async function resolveOne(
  source: ManifestSource,
  index: number,
  options: ResolveManifestsOptions,
  sink: DiagnosticSink,
): Promise<ResolvedManifest[]> {
  const targets = source.targets ? { targets: source.targets } : {};
  if ('inline' in source) {
    const label = `manifests[${index}].inline`;
    const mapPosition = inlineMapper(options.locator, index);
    const parsed = parseManifestStream(source.inline, { file: sink.file, keyPath: label, ...(mapPosition ? { mapPosition } : {}) });
    parsed.diagnostics.forEach((d) => sink.add(d));
    return [{ source: label, ...targets, objects: parsed.objects }];
  }
  const keyPath = ['manifests', index, 'path'];
  if (URL_PATTERN.test(source.path)) {
    try {
      const text = await fetchManifest(source.path, options.fetch ?? fetch, options.fetchTimeoutMs ?? DEFAULT_MANIFEST_FETCH_TIMEOUT_MS);
      const parsed = parseManifestStream(text, { file: source.path, keyPath: `manifests[${index}].path` });
      parsed.diagnostics.forEach((d) => sink.add(d));
      return [{ source: source.path, ...targets, objects: parsed.objects }];
    } catch (error) {
      sink.error(keyPath, 'manifest_fetch_failed', `could not fetch ${source.path}: ${(error as Error).message}`);
      return [];
    }
  }
  const absolute = path.resolve(options.baseDir, source.path);
  let files: string[];
  try {
    files = await (options.files ?? diskManifestFiles).list(absolute);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    sink.error(
      keyPath,
      missing ? 'manifest_not_found' : 'manifest_unreadable',
      missing ? `manifest file "${source.path}" does not exist` : `cannot read "${source.path}": ${(error as Error).message}`,
    );
    return [];
  }
  if (files.length === 0) {
    sink.error(keyPath, 'manifest_not_found', `directory "${source.path}" holds no .yml or .yaml files`);
    return [];
  }
  return Promise.all(
    files.map(async (file) => {
      const relative = path.relative(options.baseDir, file);
      const shown = path.join(options.displayDir, relative);
      const parsed = parseManifestStream(await (options.files ?? diskManifestFiles).read(file), { file: shown, keyPath: `manifests[${index}].path` });
      parsed.diagnostics.forEach((d) => sink.add(d));
      return { source: relative.split(path.sep).join('/'), ...targets, objects: parsed.objects };
    }),
  );
}

/**
 * Block scalars (`inline: |`) keep their lines, so positions map exactly (plus the block's
 * indentation); other scalar styles are reported at the scalar's start.
 */
function inlineMapper(locator: SourceLocator | undefined, index: number): PositionMapper | undefined {
  const start = locator?.scalarStart(['manifests', index, 'inline']);
  if (!start) return undefined;
  if (!start.block) return () => ({ line: start.line, column: start.column });
  const indent = locator?.indentOfLine(start.line + 1) ?? 0;
  return (line, column) => ({ line: start.line + line, column: column + indent });
}
