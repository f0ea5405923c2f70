import type { DeploymentRecordV1, KubeObject } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { deploymentConfigPayload, REDACTED } from './deployment-config.js';

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hello' } };
const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin-user-value' } };
const inlineSecret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: aHVudGVyMg==}\nstringData: {user: admin-user-value}\n';

/** Only the parts of a record the payload reads. */
function record(): DeploymentRecordV1 {
  return {
    id: 'd1',
    application: 'shop',
    createdAt: 0,
    spec: {
      file: {
        path: '<inline>',
        config: { application: 'shop', context: { region: 'eu' }, manifests: [{ path: 'manifests/' }, { inline: inlineSecret, targets: ['prod'] }] },
        manifests: [
          { source: 'manifests/settings.yaml', objects: [configMap] },
          { source: 'manifests[1].inline', targets: ['prod'], objects: [secret] },
        ],
        warnings: [],
      },
      context: { region: 'eu', version: '2' },
    },
  } as unknown as DeploymentRecordV1;
}

describe('deploymentConfigPayload', () => {
  it('answers the deploy file, context and manifests without any Secret value', () => {
    const source = record();
    const payload = deploymentConfigPayload(source);
    const text = JSON.stringify(payload);
    expect(text).not.toContain('aHVudGVyMg==');
    expect(text).not.toContain('admin-user-value');
    expect(payload.context).toEqual({ region: 'eu', version: '2' });
    expect(payload.manifests).toEqual([
      { source: 'manifests/settings.yaml', objects: [configMap] },
      { source: 'manifests[1].inline', targets: ['prod'], objects: [{ ...secret, data: { password: REDACTED }, stringData: { user: REDACTED } }] },
    ]);
    const sources = payload.deployFile.manifests as Array<{ path?: string; inline?: string; targets?: string[] }>;
    expect(sources[0]).toEqual({ path: 'manifests/' });
    expect(sources[1]?.targets).toEqual(['prod']);
    expect(sources[1]?.inline).toContain(`password: ${REDACTED}`);
    // The stored record is left as it was.
    expect(source.spec.file.manifests[1]?.objects[0]).toEqual(secret);
  });

  it('keeps inline manifests without a Secret as written', () => {
    const source = record();
    source.spec.file.config.manifests = [{ inline: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n' }];
    source.spec.file.manifests = [{ source: 'manifests[0].inline', objects: [configMap] }];
    expect(deploymentConfigPayload(source).deployFile.manifests).toEqual([{ inline: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n' }]);
  });
});
