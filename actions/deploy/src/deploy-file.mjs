import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

// The hub never reads the runner's disk: the request carries the deployment file and every
// manifest it names by path. The action has no YAML parser (it runs without `npm install`),
// so it sends every file or directory that a `path:` value names and that exists beside the
// deployment file; the hub's loader decides what is a manifest.

const PATH_VALUE = /(?:^|[\s{,-])path:\s*["']?([^"'\s,}#]+)/gm;

/**
 * @param {string} text the deployment file
 * @returns {string[]} candidate relative manifest paths
 */
export function manifestPathCandidates(text) {
  const found = new Set();
  for (const match of text.matchAll(PATH_VALUE)) {
    const value = match[1];
    if (!value || /^[a-z]+:\/\//i.test(value) || path.isAbsolute(value) || value.startsWith('{{')) continue;
    found.add(value);
  }
  return [...found];
}

/** @param {string} dir @param {string} prefix @param {Record<string, string>} out */
async function addDirectory(dir, prefix, out) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const key = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) await addDirectory(full, key, out);
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out[key] = await readFile(full, 'utf8');
  }
}

/**
 * The deployment file's text and its manifests (relative path → content).
 * @param {string} file absolute path of the deployment file
 */
export async function readDeployRequest(file) {
  const deployFile = await readFile(file, 'utf8').catch((error) => {
    throw new Error(`cannot read the deployment file ${file}: ${error.code ?? error.message}`);
  });
  const baseDir = path.dirname(file);
  /** @type {Record<string, string>} */
  const manifests = {};
  for (const candidate of manifestPathCandidates(deployFile)) {
    const normalized = path.posix.normalize(candidate.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (normalized.startsWith('..')) continue; // the hub refuses paths outside the request anyway
    const full = path.join(baseDir, normalized);
    const info = await stat(full).catch(() => undefined);
    if (info?.isDirectory()) await addDirectory(full, normalized, manifests);
    else if (info?.isFile()) manifests[normalized] = await readFile(full, 'utf8');
  }
  return { deployFile, manifests };
}

/**
 * Sets the top-level `application:` (or adds it) without re-serializing the YAML.
 * @param {string} text @param {string} application
 */
export function withApplication(text, application) {
  if (!application) return text;
  const line = `application: ${JSON.stringify(application)}`;
  return /^application:.*$/m.test(text) ? text.replace(/^application:.*$/m, line) : `${line}\n${text}`;
}
