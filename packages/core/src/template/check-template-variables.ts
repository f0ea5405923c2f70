import type { DeployConfig, StepConfig } from '../config/types.js';
import { didYouMean } from '../config/did-you-mean.js';
import { formatKeyPath, type KeyPath } from '../config/key-path.js';
import type { Diagnostic } from '../errors/index.js';
import { findTemplateVariables } from './find-template-variables.js';
import { BUILT_IN_VARIABLES, isBuiltInVariable } from './variable-names.js';

export interface TemplateCheckOptions {
  /**
   * The context in force at start (the file's context merged with `--add-context`). When
   * given, an undefined `{{context.X}}` is an error; without it (at load) only a warning,
   * because the value may still be supplied when the deployment starts.
   */
  context?: Readonly<Record<string, string>>;
}

/** A template problem located by key path; the loader adds line:column. */
export interface TemplateProblem {
  severity: 'error' | 'warning';
  code: string;
  path: KeyPath;
  message: string;
}

interface TemplateSite {
  path: KeyPath;
  template: string;
  /** The `context` of each step that uses this template; none = only the file's context applies. */
  stepContexts: Array<Readonly<Record<string, string>>>;
}

/** Checks every template in the config: unknown `armory.*`/`ferry.*` names, undefined context. */
export function checkTemplateVariables(config: DeployConfig, options: TemplateCheckOptions = {}): Diagnostic[] {
  return findTemplateProblems(config, options).map((problem) => ({ ...problem, path: formatKeyPath(problem.path) }));
}

export function findTemplateProblems(config: DeployConfig, options: TemplateCheckOptions = {}): TemplateProblem[] {
  const atStart = options.context !== undefined;
  const baseContext = options.context ?? config.context;
  const problems: TemplateProblem[] = [];
  for (const site of templateSites(config)) {
    const undefinedContext = new Set<string>();
    for (const variable of findTemplateVariables(site.template)) {
      const { namespace, name } = variable;
      if (namespace === 'armory' || namespace === 'ferry') {
        if (!isBuiltInVariable(name)) {
          const hint = didYouMean(name, BUILT_IN_VARIABLES);
          problems.push({ severity: 'error', code: 'unknown_template_variable', path: site.path, message: `unknown template variable ${variable.raw}${hint}` });
        }
      } else if (namespace === 'context') {
        const contexts = site.stepContexts.length > 0 ? site.stepContexts : [{}];
        const defined = contexts.every((step) => Object.hasOwn(step, name) || Object.hasOwn(baseContext, name));
        if (!defined) undefinedContext.add(name);
      } else if (namespace === undefined) {
        problems.push({
          severity: 'error',
          code: 'unknown_template_variable',
          path: site.path,
          message: `unknown template variable ${variable.raw} (expected armory.NAME, ferry.NAME, context.NAME or secrets.NAME)`,
        });
      }
    }
    for (const name of undefinedContext) {
      problems.push(
        atStart
          ? { severity: 'error', code: 'undefined_context_variable', path: site.path, message: `context variable "${name}" is not defined` }
          : {
              severity: 'warning',
              code: 'undefined_context_variable',
              path: site.path,
              message: `context variable "${name}" is not defined in the file or the step; it must be given with --add-context at start`,
            },
      );
    }
  }
  return problems;
}

/** Where templates live: query templates and webhook URI, header values and body. */
function templateSites(config: DeployConfig): TemplateSite[] {
  const steps = allSteps(config);
  const contextsOf = (kind: 'analysis' | 'runWebhook', uses: (step: StepConfig) => boolean) =>
    steps.filter((step) => step.kind === kind && uses(step)).map((step) => ('context' in step ? step.context : {}));

  const sites: TemplateSite[] = [];
  Object.values(config.analysis.queries).forEach((query, index) => {
    const stepContexts = contextsOf('analysis', (step) => step.kind === 'analysis' && step.queries.includes(query.name));
    sites.push({ path: ['analysis', 'queries', index, 'queryTemplate'], template: query.queryTemplate, stepContexts });
  });
  Object.values(config.webhooks).forEach((webhook, index) => {
    const stepContexts = contextsOf('runWebhook', (step) => step.kind === 'runWebhook' && step.name === webhook.name);
    const at = (...rest: Array<string | number>): KeyPath => ['webhooks', index, ...rest];
    sites.push({ path: at('uriTemplate'), template: webhook.uriTemplate, stepContexts });
    webhook.headers.forEach((header, j) => sites.push({ path: at('headers', j, 'value'), template: header.value, stepContexts }));
    if (webhook.bodyTemplate) sites.push({ path: at('bodyTemplate', 'inline'), template: webhook.bodyTemplate.inline, stepContexts });
  });
  return sites;
}

function allSteps(config: DeployConfig): StepConfig[] {
  const steps: StepConfig[] = [];
  for (const strategy of Object.values(config.strategies)) {
    if (strategy.kind === 'canary') steps.push(...strategy.steps);
    else steps.push(...strategy.redirectTrafficAfter, ...strategy.shutDownOldVersionAfter);
  }
  for (const target of Object.values(config.targets)) {
    steps.push(...target.constraints.beforeDeployment, ...target.constraints.afterDeployment);
  }
  return steps;
}
