import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertClusterName, clusterDir, clusterLayout, kubernetesBinDir, stateRoot } from './paths.js';

describe('stateRoot', () => {
  it('prefers FERRY_DEVCLUSTER_HOME, then XDG_STATE_HOME, then ~/.local/state', () => {
    expect(stateRoot({ FERRY_DEVCLUSTER_HOME: '/x/home', XDG_STATE_HOME: '/x/xdg' })).toBe('/x/home');
    expect(stateRoot({ XDG_STATE_HOME: '/x/xdg' })).toBe('/x/xdg/ferry-devcluster');
    expect(stateRoot({})).toBe(join(homedir(), '.local', 'state', 'ferry-devcluster'));
  });
});

describe('clusterDir', () => {
  it('puts each named cluster in its own directory unless a dataDir is given', () => {
    const env = { FERRY_DEVCLUSTER_HOME: '/s' };
    expect(clusterDir('a', undefined, env)).toBe('/s/a');
    expect(clusterDir('b', undefined, env)).toBe('/s/b');
    expect(clusterDir('a', '/elsewhere', env)).toBe('/elsewhere');
  });

  it('rejects names that are not DNS-label-like', () => {
    for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a/b', '..', 'x'.repeat(41)]) {
      expect(() => assertClusterName(bad), bad).toThrow(/invalid dev-cluster name/);
    }
    for (const good of ['a', 'default', 'vitest-123-1', 'x'.repeat(40)]) expect(() => assertClusterName(good)).not.toThrow();
  });
});

describe('clusterLayout', () => {
  it('keeps the lock beside the directory, so deleting the directory never deletes a held lock', () => {
    const layout = clusterLayout('/s/a');
    expect(layout.lockFile).toBe('/s/a.lock');
    expect(layout.log('apiserver')).toBe('/s/a/logs/apiserver.log');
    expect(layout.kubeconfig).toBe('/s/a/kubeconfig');
  });
});

describe('kubernetesBinDir', () => {
  it('uses the cache the install script fills unless overridden', () => {
    expect(kubernetesBinDir({})).toBe('/var/cache/ferry-devcluster/current/bin');
    expect(kubernetesBinDir({ FERRY_DEVCLUSTER_CACHE: '/c' })).toBe('/c/current/bin');
    expect(kubernetesBinDir({ FERRY_DEVCLUSTER_K8S_BIN: '/b' })).toBe('/b');
  });
});
