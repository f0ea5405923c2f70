import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The engine's lease owner. An explicit name wins; otherwise the name kept in
 * `<dataDir>/replica-name` (written on first start as `hub-<hostname>-<random>`), so a
 * restarted hub resumes its deployments at once while two hubs on one machine (two data
 * directories) never share a name.
 */
export async function resolveReplicaName(dataDir: string, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const file = join(dataDir, 'replica-name');
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (existing) return existing;
  const host = hostname().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'host';
  const name = `hub-${host}-${randomBytes(4).toString('hex')}`;
  await mkdir(dataDir, { recursive: true });
  // `wx`: two hubs racing on one new data directory agree on the winner's name.
  await writeFile(file, `${name}\n`, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
