import { describe, expect, it } from 'vitest';
import { FerryInputError } from '../errors/index.js';
import { renderTemplate } from './render-template.js';

const values = {
  armory: { replicaSetName: 'shop-7f9c', promQlStepInterval: '60s', intervalSeconds: 60, 'preview.app': 'https://preview.example/abc' },
  context: { team: 'storefront' },
};

async function renderError(template: string, options = {}): Promise<FerryInputError> {
  const error = await renderTemplate(template, values, options).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(FerryInputError);
  return error as FerryInputError;
}

describe('renderTemplate', () => {
  it('replaces armory, ferry, context and secrets variables', async () => {
    const out = await renderTemplate(
      'rs="{{armory.replicaSetName}}"[{{ ferry.promQlStepInterval }}] n={{armory.intervalSeconds}} t={{context.team}} k={{secrets.token}}',
      values,
      { secret: async (name) => `secret-of-${name}` },
    );
    expect(out).toBe('rs="shop-7f9c"[60s] n=60 t=storefront k=secret-of-token');
  });

  it('renders preview.SERVICE from the flat armory key', async () => {
    expect(await renderTemplate('{{armory.preview.app}}/health', values)).toBe('https://preview.example/abc/health');
  });

  it('accepts a synchronous secret resolver', async () => {
    expect(await renderTemplate('Bearer {{secrets.ci_token}}', values, { secret: () => 'abc' })).toBe('Bearer abc');
  });

  it('returns text without variables unchanged', async () => {
    expect(await renderTemplate('sum(rate(x{code=~"5.."}[1m]))', values)).toBe('sum(rate(x{code=~"5.."}[1m]))');
  });

  it('fails naming a missing armory variable instead of rendering an empty string', async () => {
    const error = await renderError('{{armory.endTimeIso8601}}');
    expect(error.code).toBe('template_variable_missing');
    expect(error.message).toContain('{{armory.endTimeIso8601}}');
  });

  it('fails naming a missing context variable', async () => {
    const error = await renderError('x={{ context.build }}');
    expect(error.message).toBe('template variable {{ context.build }}: not defined in context (add it to the file, the step, or --add-context)');
  });

  it('fails when a secret is used but no resolver is given', async () => {
    expect((await renderError('{{secrets.token}}')).message).toContain('{{secrets.token}}');
  });

  it('fails on an expression that is not a variable', async () => {
    expect((await renderError('{{ .Values.x }}')).message).toContain('not a known variable');
  });

  it('does not read inherited properties as values', async () => {
    expect((await renderError('{{context.constructor}}')).message).toContain('{{context.constructor}}');
  });
});
