import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FerryInputError, validateDeployText, type DeployFile, type Diagnostic } from '@ferry/core';
import { parseDocument } from 'yaml';

/** A deployment file that failed validation; the command prints its diagnostics. */
export class InvalidDeployFileError extends FerryInputError {
  constructor(readonly problems: Diagnostic[]) {
    super(`the deployment file is invalid (${problems.filter((d) => d.severity === 'error').length} errors)`, { code: 'invalid_deploy_file', diagnostics: problems });
  }
}

/** Reads the deployment file's text, keeping only `targets` when given (`deploy start -t`). */
export async function readDeployText(path: string, targets: string[] | undefined): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FerryInputError(code === 'ENOENT' ? `deployment file "${path}" does not exist` : `cannot read "${path}": ${(error as Error).message}`, { code: 'file_not_found' });
  }
  return targets && targets.length > 0 ? selectTargets(text, targets) : text;
}

/**
 * Drops every target not named (and `dependsOn` entries pointing at dropped ones), so
 * `-t staging` deploys staging alone. Comments and layout of the rest stay as written.
 */
export function selectTargets(text: string, keep: string[]): string {
  const doc = parseDocument(text);
  const targets = doc.get('targets') as { items?: Array<{ key: { value?: unknown } | string }> } | undefined;
  const names = (targets?.items ?? []).map((pair) => String(typeof pair.key === 'object' ? pair.key.value : pair.key));
  const unknown = keep.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new FerryInputError(`no target ${unknown.join(', ')} in the deployment file (it has ${names.join(', ') || 'none'})`, { code: 'unknown_target' });
  for (const name of names) if (!keep.includes(name)) doc.deleteIn(['targets', name]);
  for (const name of keep) {
    const dependsOn = doc.getIn(['targets', name, 'constraints', 'dependsOn']) as { items?: Array<{ value?: unknown } | string> } | undefined;
    if (!dependsOn?.items) continue;
    dependsOn.items = dependsOn.items.filter((item) => keep.includes(String(typeof item === 'object' ? item.value : item)));
  }
  return doc.toString();
}

/** Validates the file against the disk (local mode), throwing its diagnostics when invalid. */
export async function loadForLocalRun(path: string, targets: string[] | undefined): Promise<DeployFile> {
  const text = await readDeployText(path, targets);
  const { file, diagnostics } = await validateDeployText(text, { path });
  if (!file) throw new InvalidDeployFileError(diagnostics);
  return file;
}

/**
 * The hub never reads the caller's disk: the CLI sends the file's text and every manifest
 * it names by relative path (a file, or each .yml/.yaml below a directory).
 */
export async function collectForHub(path: string, targets: string[] | undefined): Promise<{ deployFile: string; manifests: Record<string, string> }> {
  const deployFile = await readDeployText(path, targets);
  const { file, diagnostics } = await validateDeployText(deployFile, { path, resolveManifests: false });
  if (!file) throw new InvalidDeployFileError(diagnostics);
  const base = dirname(resolve(path));
  const manifests: Record<string, string> = {};
  for (const source of file.config.manifests) {
    if (!('path' in source) || /^https?:\/\//i.test(source.path) || isAbsolute(source.path)) continue;
    for (const absolute of await manifestFiles(resolve(base, source.path))) {
      manifests[relative(base, absolute).split(sep).join('/')] = await readFile(absolute, 'utf8');
    }
  }
  return { deployFile, manifests };
}

async function manifestFiles(absolute: string): Promise<string[]> {
  let info;
  try {
    info = await stat(absolute);
  } catch {
    return []; // the hub reports the missing manifest with its line and column
  }
  if (!info.isDirectory()) return [absolute];
  const found: string[] = [];
  for (const entry of await readdir(absolute, { withFileTypes: true })) {
    const full = join(absolute, entry.name);
    if (entry.isDirectory()) found.push(...(await manifestFiles(full)));
    else if (['.yml', '.yaml'].includes(extname(entry.name).toLowerCase())) found.push(full);
  }
  return found.sort();
}
