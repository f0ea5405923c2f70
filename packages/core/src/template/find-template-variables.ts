/** The namespaces a template expression may use; `ferry` is Ferry's alias of `armory`. */
export type TemplateNamespace = 'armory' | 'ferry' | 'context' | 'secrets';

/** One `{{ ... }}` expression found in a template. */
export interface TemplateVariable {
  /** The whole expression as written, braces included. */
  raw: string;
  /** Undefined when the expression is not `namespace.name` (e.g. `{{ .Values.x }}`). */
  namespace?: TemplateNamespace;
  /** The part after the namespace: `replicaSetName`, `preview.app`, a context or secret name. */
  name: string;
  /** Offset of the expression in the template. */
  index: number;
}

const EXPRESSION = /\{\{\s*([^{}]*?)\s*\}\}/g;
const REFERENCE = /^(armory|ferry|context|secrets)\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)$/;

/** Every `{{ ... }}` in the template, in order. Whitespace inside the braces is tolerated. */
export function findTemplateVariables(template: string): TemplateVariable[] {
  const found: TemplateVariable[] = [];
  for (const match of template.matchAll(EXPRESSION)) {
    const expression = match[1] ?? '';
    const reference = REFERENCE.exec(expression);
    const base = { raw: match[0], index: match.index };
    if (reference) found.push({ ...base, namespace: reference[1] as TemplateNamespace, name: reference[2] ?? '' });
    else found.push({ ...base, name: expression });
  }
  return found;
}
