import path from 'node:path';
import { FerryInputError, formatDiagnostic, validateDeployText, type DeployFile } from '@ferry/core';

// The endpoint never reads its own disk or fetches URLs for a caller: manifests come inline
// or in the request's `manifests` map.
const NO_BASE_DIR = path.join(path.sep, 'spinnaker-request-manifests-only');

/** Validates the deployment file from a request; every problem is named in the error. */
export async function readDeployFile(text: string, manifests: Record<string, string> = {}): Promise<DeployFile> {
  const validation = await validateDeployText(text, {
    files: manifests,
    baseDir: NO_BASE_DIR,
    fetch: () => Promise.reject(new Error('manifests by URL are not fetched: send them inline or in `manifests`')),
  });
  if (!validation.file) {
    const errors = validation.diagnostics.filter((d) => d.severity === 'error');
    throw new FerryInputError(`the deployment file is invalid: ${errors.map((d) => formatDiagnostic(d)).join('; ')}`, {
      code: 'invalid_deploy_file',
      details: { diagnostics: errors },
    });
  }
  return validation.file;
}
