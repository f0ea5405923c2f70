import { describe, expect, it } from 'vitest';
import { formatKeyPath } from './key-path.js';

describe('formatKeyPath', () => {
  it('joins keys with dots and indices with brackets', () => {
    expect(formatKeyPath(['targets', 'prod-west', 'constraints', 'dependsOn', 0])).toBe('targets.prod-west.constraints.dependsOn[0]');
  });

  it('is empty for the root', () => {
    expect(formatKeyPath([])).toBe('');
  });

  it('quotes keys that are not plain names', () => {
    expect(formatKeyPath(['targets', 'eu.west 1', 'account'])).toBe('targets["eu.west 1"].account');
    expect(formatKeyPath(['manifests', 0, 'path'])).toBe('manifests[0].path');
  });
});
