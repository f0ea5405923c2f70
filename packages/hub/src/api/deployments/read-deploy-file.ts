import path from 'node:path';
import { validateDeployText, type DeployFileOptions, type DeployFileValidation, type Diagnostic } from '@ferry/core';

export interface DeployFileInput {
  /** The deployment file's YAML (or JSON) text. */
  deployFile: string;
  /** Manifests the file names by relative path: path → content. */
  manifests?: Record<string, string> | undefined;
}

// The hub never reads its own disk or fetches URLs on a caller's behalf: manifests come
// inline or in the request's `manifests` map (core's in-memory `files`).

const URL_PATTERN = /^https?:\/\//i;
const NO_BASE_DIR = path.join(path.sep, 'ferry-hub-request-manifests-only');

/** Validates a deployment file sent to the API; manifests resolve only from the request. */
export async function readDeployFile(input: DeployFileInput): Promise<DeployFileValidation> {
  const shape = await validateDeployText(input.deployFile, { resolveManifests: false });
  if (!shape.file) return shape;
  const refused = refusedManifestSources(shape.file.config.manifests);
  if (refused.length > 0) return { diagnostics: [...refused, ...shape.diagnostics] };
  const options: DeployFileOptions = {
    files: input.manifests ?? {},
    baseDir: NO_BASE_DIR,
    fetch: refuseFetch,
  };
  return validateDeployText(input.deployFile, options);
}

function refusedManifestSources(sources: ReadonlyArray<{ path: string } | { inline: string }>): Diagnostic[] {
  const problems: Diagnostic[] = [];
  sources.forEach((source, index) => {
    if (!('path' in source)) return;
    const where = `manifests[${index}].path`;
    if (URL_PATTERN.test(source.path)) {
      problems.push(refusal(where, 'manifest_url_refused', `the hub does not fetch manifests by URL; send "${source.path}" inline or in the request's manifests`));
    } else if (path.isAbsolute(source.path) || path.normalize(source.path).split(/[\\/]/)[0] === '..') {
      problems.push(refusal(where, 'manifest_path_refused', `manifest paths must be relative and stay inside the request's manifests (got "${source.path}")`));
    }
  });
  return problems;
}

function refusal(pathText: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, path: pathText, message };
}

const refuseFetch: typeof fetch = () => Promise.reject(new Error('the hub does not fetch manifests by URL'));
