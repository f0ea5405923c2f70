import { InvalidArgumentError, type Command } from 'commander';
import pc from 'picocolors';
import { InvalidDeployFileError } from '../backend/deploy-file-input.js';
import type { Backend, DeploymentAction, DeploymentView } from '../backend/types.js';
import { exitCodeOf, type CommandContext } from '../command-context.js';
import { openBackend, type ConnectionFlags } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { LiveView, renderFrame, watchDeployment } from '../live/index.js';
import { collectKeyValue, connectionOptions, envOption, outputOption } from '../options.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { formatData, type OutputFormat } from '../render/output-format.js';
import { renderList } from '../render/deployment-list.js';
import { deploymentIdOption, targetFor } from './deploy-ids.js';

type Flags = ConnectionFlags & { output: OutputFormat };

/** `ferry deploy …`: start, status, list and act on deployments, in local or hub mode. */
export function registerDeployCommand(program: Command, ctx: CommandContext): void {
  const deploy = program.command('deploy').description('start, follow and steer deployments');
  const withConnection = (command: Command) => {
    for (const option of connectionOptions()) command.addOption(option);
    return command.addOption(outputOption());
  };

  withConnection(
    deploy
      .command('start')
      .description(
        'start a deployment. Hub mode: sends the file and its manifests to the hub and returns (add --watch to follow it). ' +
          'Local mode (no hub configured): runs the deployment in this process and keeps running it in the foreground until it ends; ' +
          'from another shell, `ferry deploy status|approve|rollback` act on it through the same state file',
      )
      .addOption(envOption('-f, --file <path>', 'the deployment file (deploy.yml)', 'FERRY_FILE').makeOptionMandatory())
      .addOption(envOption('-w, --watch', 'follow the deployment with a live view until it ends', 'FERRY_WATCH'))
      .addOption(envOption('--add-context <key=value>', 'a value for {{context.KEY}}; repeatable (env: one per line)', 'FERRY_ADD_CONTEXT').argParser(collectKeyValue))
      .addOption(envOption('-t, --target <name...>', 'deploy only these targets', 'FERRY_TARGET')),
  ).action((options: Flags & { file: string; watch?: boolean; addContext?: Record<string, string>; target?: string[] }) =>
    withBackend(ctx, options, async (backend) => {
      let started;
      try {
        started = await backend.start({ file: options.file, context: options.addContext ?? {}, ...(options.target ? { targets: options.target } : {}) });
      } catch (error) {
        if (error instanceof InvalidDeployFileError) {
          ctx.io.stderr(renderDiagnostics(error.diagnostics, { color: ctx.io.isTTY, cwd: ctx.io.cwd }));
          return ExitCode.Error;
        }
        throw error;
      }
      const waitHere = options.watch || backend.mode === 'local';
      if (!waitHere) {
        if (options.output === 'text') {
          ctx.io.stdout(`Deployment ID: ${started.id}\n${started.link ? `Link: ${started.link}\n` : ''}Follow it: ferry deploy status -i ${started.id} --watch\n`);
        } else ctx.io.stdout(formatData(options.output, started));
        return ExitCode.Success;
      }
      if (options.output === 'text') {
        ctx.io.stdout(`Deployment ID: ${started.id}\n${started.link ? `Link: ${started.link}\n` : ''}`);
        if (backend.mode === 'local') ctx.io.stdout(pc.dim(`Running it in this process until it ends (from another shell: ferry deploy status -i ${started.id})\n`));
      } else if (!options.watch) ctx.io.stdout(formatData(options.output, started));
      const final = await follow(ctx, backend, started.id, options.output, Boolean(options.watch));
      if (final && options.watch && options.output !== 'text') ctx.io.stdout(formatData(options.output, final));
      return final ? exitCodeOf(final.status) : ExitCode.Error;
    }),
  );

  withConnection(
    deploy
      .command('status')
      .description("a deployment's status; with --watch a live view until it ends (in local mode this process also runs it if no other does)")
      .addOption(deploymentIdOption())
      .addOption(envOption('-w, --watch', 'follow the deployment with a live view until it ends', 'FERRY_WATCH')),
  ).action((options: Flags & { deploymentId: string; watch?: boolean }) =>
    withBackend(ctx, options, async (backend) => {
      if (options.watch) {
        // Local mode: if the process that started it is gone, this one takes its lease over.
        if ('runEngine' in backend) await (backend as Backend & { runEngine(): Promise<unknown> }).runEngine();
        const final = await follow(ctx, backend, options.deploymentId, options.output, true);
        if (final && options.output !== 'text') ctx.io.stdout(formatData(options.output, final));
        return final ? exitCodeOf(final.status) : ExitCode.Error;
      }
      const view = await backend.status(options.deploymentId);
      if (options.output !== 'text') ctx.io.stdout(formatData(options.output, view));
      else ctx.io.stdout(`${renderFrame({ view, analysis: {}, pods: {} }, { color: ctx.io.isTTY, tick: 0, now: Date.now() }).join('\n')}\n`);
      return ExitCode.Success;
    }),
  );

  withConnection(
    deploy
      .command('list')
      .description('recent deployments, newest first')
      .addOption(envOption('-a, --application <name>', 'only this application', 'FERRY_APPLICATION'))
      .addOption(envOption('-s, --status <statuses>', 'only these statuses, comma-separated (e.g. RUNNING,PAUSED)', 'FERRY_STATUS'))
      .addOption(envOption('-t, --target <name>', 'only deployments with this target', 'FERRY_TARGET'))
      .addOption(envOption('-n, --limit <n>', 'at most this many', 'FERRY_LIMIT').default('20').argParser(positiveInt)),
  ).action((options: Flags & { application?: string; status?: string; target?: string; limit: string | number }) =>
    withBackend(ctx, options, async (backend) => {
      const deployments = await backend.list({
        limit: Number(options.limit),
        ...(options.application ? { application: options.application } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(options.target ? { target: options.target } : {}),
      });
      if (options.output !== 'text') ctx.io.stdout(formatData(options.output, { deployments }));
      else ctx.io.stdout(renderList(deployments, ctx.io.isTTY));
      return ExitCode.Success;
    }),
  );

  const actions: Array<[DeploymentAction, string, 'required' | 'optional' | 'none']> = [
    ['approve', 'approve the approval a target waits for', 'required'],
    ['reject', 'reject the approval a target waits for (it rolls back)', 'required'],
    ['skip', "end a target's timed pause now", 'required'],
    ['rollforward', 'answer a manual analysis decision with "roll forward"', 'required'],
    ['rollback', 'roll back one target (-t), or every active one', 'optional'],
    ['cancel', 'cancel the deployment (active targets roll back)', 'none'],
  ];
  for (const [action, description, targetUse] of actions) {
    const command = deploy.command(action).description(description).addOption(deploymentIdOption());
    if (targetUse !== 'none') {
      command.addOption(envOption('-t, --target <name>', targetUse === 'required' ? 'the target (default: the only one waiting)' : 'the target (default: every active one)', 'FERRY_TARGET'));
    }
    command.addOption(envOption('-m, --comment <text>', 'why, for the record', 'FERRY_COMMENT'));
    withConnection(command).action((options: Flags & { deploymentId: string; target?: string; comment?: string }) =>
      withBackend(ctx, options, async (backend) => {
        const target = targetUse === 'required' ? await targetFor(backend, options.deploymentId, options.target, action) : options.target;
        await backend.act(options.deploymentId, action, { ...(target ? { target } : {}), ...(options.comment ? { comment: options.comment } : {}) });
        if (options.output !== 'text') ctx.io.stdout(formatData(options.output, { id: options.deploymentId, action, target: target ?? null }));
        else ctx.io.stdout(`${pc.green('✔')} ${actionDone(action)} ${target ? `${target} of ` : ''}deployment ${options.deploymentId}\n`);
        return ExitCode.Success;
      }),
    );
  }

  withConnection(
    deploy
      .command('redeploy')
      .description("start a new deployment from a past one's file and context")
      .addOption(deploymentIdOption())
      .addOption(envOption('-w, --watch', 'follow the new deployment with a live view until it ends', 'FERRY_WATCH')),
  ).action((options: Flags & { deploymentId: string; watch?: boolean }) =>
    withBackend(ctx, options, async (backend) => {
      const started = await backend.redeploy(options.deploymentId);
      if (options.output === 'text') ctx.io.stdout(`Deployment ID: ${started.id}\n${started.link ? `Link: ${started.link}\n` : ''}`);
      else if (!options.watch) ctx.io.stdout(formatData(options.output, started));
      // Hub mode returns at once; local mode runs the new deployment here, like deploy start.
      if (!options.watch && backend.mode === 'hub') return ExitCode.Success;
      const final = await follow(ctx, backend, started.id, options.output, Boolean(options.watch));
      if (final && options.watch && options.output !== 'text') ctx.io.stdout(formatData(options.output, final));
      return final ? exitCodeOf(final.status) : ExitCode.Error;
    }),
  );
}

/** Opens the backend, runs the verb, always closes it (the local engine releases its leases). */
async function withBackend(ctx: CommandContext, flags: ConnectionFlags, run: (backend: Backend) => Promise<ExitCode>): Promise<void> {
  const backend = await openBackend(flags, ctx.io);
  try {
    ctx.setExit(await run(backend));
  } finally {
    await backend.close();
  }
}

/**
 * Follows a deployment to its end. Live view on a terminal with text output; plain event
 * lines otherwise (text); nothing for json/yaml. Undefined when interrupted.
 */
async function follow(ctx: CommandContext, backend: Backend, id: string, output: OutputFormat, live: boolean): Promise<DeploymentView | undefined> {
  const view =
    output === 'text' ? new LiveView({ write: ctx.io.stdout, tty: live && ctx.io.isTTY, color: ctx.io.isTTY }) : undefined;
  // The engine's timers never keep the process alive on their own: waiting here does.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    const final = await watchDeployment({ backend, id, ...(view ? { view } : {}), signal: ctx.signal });
    if (ctx.signal.aborted) {
      ctx.io.stderr(`\nstopped following ${id}; ${backend.mode === 'local' ? 'it resumes when a ferry process opens the state again (ferry deploy status -i ID --watch)' : 'it keeps running on the hub'}\n`);
      return undefined;
    }
    if (output === 'text') {
      const paint = pc.createColors(ctx.io.isTTY);
      const ok = final.status === 'SUCCEEDED';
      ctx.io.stdout(`${ok ? paint.green('✔') : paint.red('✖')} deployment ${final.id} ${ok ? paint.green(final.status) : paint.red(final.status)}${final.reason ? ` (${final.reason})` : ''}\n`);
    }
    return final;
  } finally {
    clearInterval(keepAlive);
  }
}

function actionDone(action: DeploymentAction): string {
  return { approve: 'approved', reject: 'rejected', skip: 'skipped the pause of', rollforward: 'rolled forward', rollback: 'rolling back', cancel: 'cancelling' }[action];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}
