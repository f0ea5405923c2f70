import { Argument, type Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { envOption } from '../options.js';
import { kubernetesTemplate, TEMPLATE_FEATURES, TEMPLATE_STRATEGIES, type TemplateFeature, type TemplateStrategy } from '../templates/kubernetes.js';

/** `ferry template kubernetes canary|bluegreen [-f feature]`: a commented starter file that validates. */
export function registerTemplateCommand(program: Command, ctx: CommandContext): void {
  const template = program.command('template').description('print a commented starter deployment file');
  template
    .command('kubernetes')
    .description('a deployment file for Kubernetes: ferry template kubernetes canary > deploy.yml')
    .addArgument(new Argument('<strategy>', 'the rollout strategy').choices(TEMPLATE_STRATEGIES))
    .addOption(envOption('-f, --features <feature>', 'what the rollout waits on', 'FERRY_FEATURES').choices(TEMPLATE_FEATURES).default('manual'))
    .action((strategy: TemplateStrategy, options: { features: TemplateFeature }) => {
      ctx.io.stdout(kubernetesTemplate(strategy, options.features));
      ctx.setExit(ExitCode.Success);
    });
}
