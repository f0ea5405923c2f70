export { renderTemplate, type TemplateValues, type RenderOptions } from './render-template.js';
export { findTemplateVariables, type TemplateVariable, type TemplateNamespace } from './find-template-variables.js';
export {
  checkTemplateVariables,
  findTemplateProblems,
  type TemplateCheckOptions,
  type TemplateProblem,
} from './check-template-variables.js';
export { BUILT_IN_VARIABLES, isBuiltInVariable, type BuiltInVariable } from './variable-names.js';
