import { describe, expect, it } from 'vitest';
import { findTemplateVariables } from './find-template-variables.js';

describe('findTemplateVariables', () => {
  it('finds every namespace, tolerating whitespace inside the braces', () => {
    const found = findTemplateVariables('a {{armory.namespace}} b {{ ferry.replicaSetName }} {{context.team}}{{  secrets.token}}');
    expect(found).toEqual([
      { raw: '{{armory.namespace}}', namespace: 'armory', name: 'namespace', index: 2 },
      { raw: '{{ ferry.replicaSetName }}', namespace: 'ferry', name: 'replicaSetName', index: 25 },
      { raw: '{{context.team}}', namespace: 'context', name: 'team', index: 52 },
      { raw: '{{  secrets.token}}', namespace: 'secrets', name: 'token', index: 68 },
    ]);
  });

  it('keeps dotted names such as preview.SERVICE whole', () => {
    expect(findTemplateVariables('{{armory.preview.app-preview}}')).toEqual([
      { raw: '{{armory.preview.app-preview}}', namespace: 'armory', name: 'preview.app-preview', index: 0 },
    ]);
  });

  it('returns expressions that are not namespace.name without a namespace', () => {
    expect(findTemplateVariables('x {{ .Values.x }} {{armory}}')).toEqual([
      { raw: '{{ .Values.x }}', name: '.Values.x', index: 2 },
      { raw: '{{armory}}', name: 'armory', index: 18 },
    ]);
  });

  it('finds nothing in plain text, single braces or an unclosed expression', () => {
    expect(findTemplateVariables('sum(rate(x{code=~"5.."}[1m])) {{armory.namespace')).toEqual([]);
  });
});
