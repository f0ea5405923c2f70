import { describe, expect, it } from 'vitest';
import { validateDeployText } from '../index.js';

const CONFIG_MAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const deployText = (paths: string[]) =>
  `application: shop\ntargets:\n  prod:\n    account: prod-cluster\n    namespace: shop\nmanifests:\n${paths.map((p) => `  - path: ${p}\n`).join('')}`;

/** What a service receives in one request: the deployment file and its manifests by relative path. */
const files = {
  'single.yaml': CONFIG_MAP('one'),
  './k8s/z-last.yml': CONFIG_MAP('z'),
  'k8s/a-first.yaml': CONFIG_MAP('a'),
  'k8s/b/deeper/c.YAML': CONFIG_MAP('c'),
  'k8s/README.md': '# not a manifest\n',
};

const names = (result: Awaited<ReturnType<typeof validateDeployText>>) =>
  result.file?.manifests.flatMap((m) => m.objects.map((o) => `${m.source}:${(o.metadata as { name: string }).name}`));

describe('manifests given in memory (files)', () => {
  it('reads files and directories from the map, recursively and sorted, as from the disk', async () => {
    const result = await validateDeployText(deployText(['single.yaml', 'k8s']), { files });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(names(result)).toEqual(['single.yaml:one', 'k8s/a-first.yaml:a', 'k8s/b/deeper/c.YAML:c', 'k8s/z-last.yml:z']);
  });

  it('never reads the disk: a path outside the map is not found, even one that exists', async () => {
    const result = await validateDeployText(deployText(['../../../../etc/hostname', 'missing.yaml']), { files });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.code === 'manifest_not_found').map((d) => d.path)).toEqual(['manifests[0].path', 'manifests[1].path']);
  });

  it('reports a directory with no manifests in it', async () => {
    const result = await validateDeployText(deployText(['docs']), { files: { 'docs/readme.md': 'hi' } });
    expect(result.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'manifest_not_found', message: expect.stringContaining('holds no .yml') })]));
  });
});
