import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const MANIFEST_EXTENSIONS = new Set(['.yml', '.yaml']);

/** Where path entries are read from: the disk, or the files a request carried (the hub). */
export interface ManifestFiles {
  /** One file, or every .yml/.yaml below a directory (recursive, sorted); an ENOENT error when absent. */
  list(absolute: string): Promise<string[]>;
  read(absolute: string): Promise<string>;
}

export const diskManifestFiles: ManifestFiles = { list: listManifestFiles, read: readManifestFile };

/**
 * Files given in memory, keyed by their path relative to `baseDir` (`/`-separated). Nothing
 * outside the map is ever read, so a path like `../../etc/passwd` is simply not found.
 */
export function inMemoryManifestFiles(files: Record<string, string>, baseDir: string): ManifestFiles {
  const byPath = new Map(Object.entries(files).map(([key, text]) => [path.posix.normalize(key.replace(/^\.\//, '')), text]));
  const relativeOf = (absolute: string) => path.relative(baseDir, absolute).split(path.sep).join('/');
  const notFound = (shown: string) => Object.assign(new Error(`no such file ${shown}`), { code: 'ENOENT' });
  return {
    async list(absolute) {
      const relative = relativeOf(absolute);
      if (byPath.has(relative)) return [absolute];
      const prefix = relative === '' ? '' : `${relative}/`;
      const below = [...byPath.keys()].filter((key) => key.startsWith(prefix) && isManifestName(key)).sort();
      if (below.length === 0 && ![...byPath.keys()].some((key) => key.startsWith(prefix))) throw notFound(relative);
      return below.map((key) => path.join(baseDir, ...key.split('/')));
    },
    async read(absolute) {
      const text = byPath.get(relativeOf(absolute));
      if (text === undefined) throw notFound(relativeOf(absolute));
      return text;
    },
  };
}

/** A path entry: one file, or every .yml/.yaml below a directory (recursive, sorted). */
export async function listManifestFiles(absolute: string): Promise<string[]> {
  const info = await stat(absolute);
  if (!info.isDirectory()) return [absolute];
  const found: string[] = [];
  await walk(absolute, found);
  return found.sort();
}

async function walk(directory: string, found: string[]): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) await walk(full, found);
    else if (isManifestName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFileTarget(full))))) found.push(full);
  }
}

export function readManifestFile(absolute: string): Promise<string> {
  return readFile(absolute, 'utf8');
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** Symlinked files are followed; symlinked directories are not, so a link loop cannot hang the loader. */
async function isFileTarget(link: string): Promise<boolean> {
  try {
    return (await stat(link)).isFile();
  } catch {
    return false;
  }
}
