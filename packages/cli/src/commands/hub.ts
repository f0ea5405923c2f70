import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { importPackage } from '../package-locator.js';

/** The part of @ferry/hub this verb uses (typed here so the CLI builds without the hub's types). */
interface HubModule {
  startHub(options: unknown): Promise<{ url: string; caFile?: string; close(): Promise<void> }>;
  hubOptionsFromArgs(argv: string[], env: NodeJS.ProcessEnv): unknown;
  HUB_USAGE: string;
}

interface ConsoleModule {
  consoleAssetsDir(): string;
  consoleIsBuilt(): boolean;
}

/** Serves the web console too when @ferry/console is installed and built (and no --console-dir says otherwise). */
async function withConsole(options: { console?: unknown }): Promise<unknown> {
  if (options.console) return options;
  const consoleModule = await importPackage<ConsoleModule>('@ferry/console', 'console').catch(() => undefined);
  return consoleModule?.consoleIsBuilt() ? { ...options, console: { assetsDir: consoleModule.consoleAssetsDir() } } : options;
}

/** `ferry hub [flags]`: runs the control plane in this process until SIGINT/SIGTERM. */
export function registerHubCommand(program: Command, ctx: CommandContext): void {
  program
    .command('hub')
    .description('run the hub (REST API, OIDC, engine) in this process; `ferry hub --help` lists its flags, each also a FERRY_HUB_* variable')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]', 'the hub\'s flags: --data-dir, --port, --postgres, --tls-cert/--tls-key, --plain-http, --kubeconfig, ...')
    .action(async (flags: string[]) => {
      const hubModule = await importPackage<HubModule>('@ferry/hub', 'hub');
      const options = hubModule.hubOptionsFromArgs(flags, ctx.io.env);
      if (!options) {
        ctx.io.stdout(hubModule.HUB_USAGE.replace('Usage: ferry-hub', 'Usage: ferry hub'));
        ctx.setExit(ExitCode.Success);
        return;
      }
      const hub = await hubModule.startHub(await withConsole(options as { console?: unknown }));
      ctx.io.stderr(`ferry hub listening at ${hub.url}\n${hub.caFile ? `clients trust its CA: ${hub.caFile} (--ca-file / FERRY_CA_FILE)\n` : ''}`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      ctx.io.stderr('stopping: draining requests and releasing leases\n');
      await hub.close();
      ctx.setExit(ExitCode.Success);
    });
}
