import { FerryInputError } from '../errors/index.js';
import { findTemplateVariables, type TemplateVariable } from './find-template-variables.js';

/** Values for one render; the shape of StepVariablesV1. `preview.SERVICE` is a flat key of `armory`. */
export interface TemplateValues {
  armory?: Readonly<Record<string, string | number>>;
  context?: Readonly<Record<string, string>>;
}

export interface RenderOptions {
  /** Resolves `{{secrets.NAME}}`; without it, a template that uses a secret cannot be rendered. */
  secret?: (name: string) => Promise<string> | string;
}

/**
 * Replaces every `{{namespace.name}}` in the template. A variable without a value is an
 * error naming it, never an empty string: a query silently missing a label would still
 * return numbers and pass analysis.
 */
export async function renderTemplate(template: string, values: TemplateValues, options: RenderOptions = {}): Promise<string> {
  const variables = findTemplateVariables(template);
  if (variables.length === 0) return template;
  const replacements = await Promise.all(variables.map((variable) => valueOf(variable, values, options)));
  let out = '';
  let cursor = 0;
  variables.forEach((variable, i) => {
    out += template.slice(cursor, variable.index) + replacements[i];
    cursor = variable.index + variable.raw.length;
  });
  return out + template.slice(cursor);
}

async function valueOf(variable: TemplateVariable, values: TemplateValues, options: RenderOptions): Promise<string> {
  const missing = (why: string) =>
    new FerryInputError(`template variable ${variable.raw}: ${why}`, {
      code: 'template_variable_missing',
      details: { variable: variable.raw },
    });
  switch (variable.namespace) {
    case 'armory':
    case 'ferry': {
      const value = values.armory?.[variable.name];
      if (value === undefined || !Object.hasOwn(values.armory ?? {}, variable.name)) throw missing('no value at this point of the deployment');
      return String(value);
    }
    case 'context': {
      const value = values.context?.[variable.name];
      if (value === undefined || !Object.hasOwn(values.context ?? {}, variable.name)) {
        throw missing('not defined in context (add it to the file, the step, or --add-context)');
      }
      return value;
    }
    case 'secrets': {
      if (!options.secret) throw missing('no secret store is available here');
      return options.secret(variable.name);
    }
    default:
      throw missing('not a known variable (expected armory.NAME, ferry.NAME, context.NAME or secrets.NAME)');
  }
}
