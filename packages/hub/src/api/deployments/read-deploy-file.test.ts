import { describe, expect, it } from 'vitest';
import { readDeployFile } from './read-deploy-file.js';

const file = (manifestEntry: string) => `version: v1
kind: kubernetes
application: shop
targets:
  dev:
    account: dev-cluster
    namespace: shop
manifests:
  - ${manifestEntry}
`;
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n';

describe('readDeployFile', () => {
  it("reads manifests named by relative path from the request's map", async () => {
    const result = await readDeployFile({ deployFile: file('path: manifests/app.yaml'), manifests: { 'manifests/app.yaml': configMap } });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.file?.manifests.flatMap((m) => m.objects.map((o) => o.metadata?.name))).toEqual(['settings']);
  });

  it('reads every manifest under a directory path', async () => {
    const result = await readDeployFile({ deployFile: file('path: manifests/'), manifests: { 'manifests/a.yaml': configMap, 'manifests/b.yaml': configMap.replace('settings', 'other') } });
    expect(result.file?.manifests.flatMap((m) => m.objects.map((o) => o.metadata?.name)).sort()).toEqual(['other', 'settings']);
  });

  it("refuses absolute paths and parent directories: the hub's own disk is never read", async () => {
    for (const entry of ['path: /etc/hostname', 'path: ../../etc/hostname']) {
      const result = await readDeployFile({ deployFile: file(entry), manifests: {} });
      expect(result.file).toBeUndefined();
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest_path_refused', path: 'manifests[0].path' })]);
    }
  });

  it('refuses manifest URLs: the hub fetches nothing on a caller\'s behalf', async () => {
    const result = await readDeployFile({ deployFile: file('path: http://127.0.0.1:9/app.yaml') });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest_url_refused', path: 'manifests[0].path' })]);
  });

  it('reports a manifest missing from the map with its path', async () => {
    const result = await readDeployFile({ deployFile: file('path: app.yaml'), manifests: {} });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === 'error' && d.path.startsWith('manifests[0]'))).toBe(true);
  });
});
