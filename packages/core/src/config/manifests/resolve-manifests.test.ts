import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDeployText } from '../index.js';

const CONFIG_MAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function deployText(manifests: string): string {
  return `application: shop\ntargets:\n  prod:\n    account: prod-cluster\n    namespace: shop\nmanifests:\n${manifests}`;
}

let dir: string;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ferry-manifests-'));
  await mkdir(path.join(dir, 'k8s/b/deeper'), { recursive: true });
  await writeFile(path.join(dir, 'single.yaml'), `${CONFIG_MAP('one')}---\n---\n${CONFIG_MAP('two')}`);
  await writeFile(path.join(dir, 'k8s/z-last.yml'), CONFIG_MAP('z'));
  await writeFile(path.join(dir, 'k8s/a-first.yaml'), CONFIG_MAP('a'));
  await writeFile(path.join(dir, 'k8s/b/deeper/c.YAML'), CONFIG_MAP('c'));
  await writeFile(path.join(dir, 'k8s/README.md'), '# not a manifest\n');
  await writeFile(path.join(dir, 'broken.yaml'), `${CONFIG_MAP('fine')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  labels: {}\n`);
  await mkdir(path.join(dir, 'empty-dir'));
  await mkdir(path.join(dir, 'linked'));
  await symlink(path.join(dir, 'single.yaml'), path.join(dir, 'linked/via-link.yaml'));
  await symlink(path.join(dir, 'linked'), path.join(dir, 'linked/loop'));
  await writeFile(path.join(dir, 'bomb.yaml'), `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`);

  server = createServer((request, response) => {
    if (request.url === '/app.yaml') {
      response.writeHead(200, { 'content-type': 'application/yaml' });
      response.end(CONFIG_MAP('from-url'));
    } else if (request.url === '/slow.yaml') {
      setTimeout(() => response.end(CONFIG_MAP('late')), 2_000);
    } else {
      response.writeHead(404);
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const names = (result: Awaited<ReturnType<typeof validateDeployText>>) =>
  result.file?.manifests.map((m) => [m.source, m.objects.map((o) => o.metadata.name)]);

describe('manifest resolution', () => {
  it('reads a file with several documents, skipping empty ones', async () => {
    const result = await validateDeployText(deployText('  - path: single.yaml\n'), { baseDir: dir });
    expect(result.diagnostics).toEqual([]);
    expect(names(result)).toEqual([['single.yaml', ['one', 'two']]]);
  });

  it('reads a directory recursively: every .yml/.yaml, sorted, nothing else', async () => {
    const result = await validateDeployText(deployText('  - path: k8s\n'), { baseDir: dir });
    expect(names(result)).toEqual([
      ['k8s/a-first.yaml', ['a']],
      ['k8s/b/deeper/c.YAML', ['c']],
      ['k8s/z-last.yml', ['z']],
    ]);
  });

  it('follows symlinked files but not symlinked directories', async () => {
    const result = await validateDeployText(deployText('  - path: linked\n'), { baseDir: dir });
    expect(names(result)).toEqual([['linked/via-link.yaml', ['one', 'two']]]);
  });

  it('refuses a document whose aliases expand exponentially', async () => {
    const result = await validateDeployText(deployText('  - path: bomb.yaml\n'), { baseDir: dir });
    expect(result.diagnostics).toMatchObject([{ severity: 'error', code: 'yaml_syntax', path: 'manifests[0].path', line: 1, column: 1 }]);
    expect(result.diagnostics[0]?.message).toMatch(/^document 1: .*alias/i);
  });

  it('resolves paths against the deployment file directory', async () => {
    const result = await validateDeployText(deployText('  - path: single.yaml\n'), { path: path.join(dir, 'deploy.yml') });
    expect(names(result)).toEqual([['single.yaml', ['one', 'two']]]);
  });

  it('parses inline manifests and keeps the entry targets', async () => {
    const result = await validateDeployText(deployText(`  - targets: [prod]\n    inline: |\n      ${CONFIG_MAP('inline').trimEnd().replaceAll('\n', '\n      ')}\n`));
    expect(result.file?.manifests).toEqual([
      { source: 'manifests[0].inline', targets: ['prod'], objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inline' } }] },
    ]);
  });

  it('fetches an http URL', async () => {
    const url = `${baseUrl}/app.yaml`;
    const result = await validateDeployText(deployText(`  - path: ${url}\n`));
    expect(result.diagnostics).toEqual([]);
    expect(names(result)).toEqual([[url, ['from-url']]]);
  });

  it('reports an HTTP error status at manifests[i].path', async () => {
    const result = await validateDeployText(deployText(`  - path: ${baseUrl}/nope.yaml\n`), { path: 'deploy.yml' });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'manifest_fetch_failed',
        path: 'manifests[0].path',
        message: `could not fetch ${baseUrl}/nope.yaml: HTTP 404 Not Found`,
        file: 'deploy.yml',
        line: 7,
        column: 11,
      },
    ]);
  });

  it('gives up on a URL after the timeout', async () => {
    const result = await validateDeployText(deployText(`  - path: ${baseUrl}/slow.yaml\n`), { manifestFetchTimeoutMs: 100 });
    expect(result.diagnostics.map((d) => d.message)).toEqual([`could not fetch ${baseUrl}/slow.yaml: timed out after 100 ms`]);
  });

  it('uses the fetch given in the options', async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(CONFIG_MAP('custom-fetch'));
    };
    const result = await validateDeployText(deployText('  - path: https://manifests.invalid/app.yaml\n'), { fetch: fetchImpl });
    expect(seen).toEqual(['https://manifests.invalid/app.yaml']);
    expect(names(result)).toEqual([['https://manifests.invalid/app.yaml', ['custom-fetch']]]);
  });

  it('reports a missing file naming the path, at the manifests[i].path key', async () => {
    const result = await validateDeployText(deployText('  - path: single.yaml\n  - path: nowhere/app.yaml\n'), { baseDir: dir, path: 'deploy.yml' });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'manifest_not_found',
        path: 'manifests[1].path',
        message: 'manifest file "nowhere/app.yaml" does not exist',
        file: 'deploy.yml',
        line: 8,
        column: 11,
      },
    ]);
  });

  it('reports a directory without manifests', async () => {
    const result = await validateDeployText(deployText('  - path: empty-dir\n'), { baseDir: dir });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['directory "empty-dir" holds no .yml or .yaml files']);
  });

  it('reports an object without metadata.name at its line:column in the manifest file', async () => {
    const result = await validateDeployText(deployText('  - path: broken.yaml\n'), { path: path.join(dir, 'deploy.yml') });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'manifest_invalid',
        path: 'manifests[0].path',
        message: 'document 2: Secret object has no metadata.name',
        file: path.join(dir, 'broken.yaml'),
        line: 6,
        column: 1,
      },
    ]);
  });

  it('reports a document that is not an object, and one missing apiVersion and kind', async () => {
    const result = await validateDeployText(deployText('  - inline: |\n      just text\n      ---\n      metadata: {name: x}\n'), { path: 'deploy.yml' });
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '8:7 document 1: expected a Kubernetes object (a map)',
      '10:7 document 2: object has no apiVersion, kind',
    ]);
  });
});
