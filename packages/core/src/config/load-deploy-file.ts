import { deployFileError } from './diagnostic-sink.js';
import type { DeployFile } from './types.js';
import { validateDeployFile, validateDeployText, type DeployFileOptions, type DeployFileValidation } from './validate-deploy-file.js';

/**
 * Parses, validates and normalizes deployment-file text and resolves its manifests.
 * Throws one FerryInputError carrying every error diagnostic.
 */
export async function parseDeployFile(text: string, options: DeployFileOptions = {}): Promise<DeployFile> {
  return fileOrThrow(await validateDeployText(text, options), options.path ?? '<inline>');
}

/** Reads a deployment file from disk; see parseDeployFile. */
export async function loadDeployFile(file: string, options: Omit<DeployFileOptions, 'path'> = {}): Promise<DeployFile> {
  return fileOrThrow(await validateDeployFile(file, options), file);
}

function fileOrThrow(result: DeployFileValidation, shown: string): DeployFile {
  if (result.file) return result.file;
  throw deployFileError(shown, result.diagnostics);
}
