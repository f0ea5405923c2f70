import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { FerryUnavailableError } from '@ferry/core';
import type { CommandContext } from '../command-context.js';
import { requireHub, type ConnectionFlags } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { envOption, hubOptions, outputOption } from '../options.js';
import { findPackageDir, importPackage, packageBin } from '../package-locator.js';
import { formatData, type OutputFormat } from '../render/output-format.js';

interface AgentView {
  identifier: string;
  instanceId: string;
  version: string;
  hubReplica: string;
  address: string;
  connectedAtIso: string;
  lastHeartbeatAtIso: string;
  clusterRole: boolean;
}

/**
 * The install hook `ferry agent create` calls: @ferry/agent exports it when it ships its
 * manifests. It applies the agent (ServiceAccount, RBAC, Secret, Deployment) into the
 * current kube context and resolves with what it applied.
 */
export interface AgentInstallHook {
  installAgent(options: {
    identifier: string;
    hubAddress: string;
    clientId: string;
    clientSecret: string;
    namespace: string;
    kubeconfigPath?: string;
    context?: string;
    caPem?: string;
    /** The hub's OIDC issuer: the agent gets its client-credentials token there. */
    issuer?: string;
    dryRun: boolean;
    /** Asked until true after the Deployment is ready: the hub lists the agent as connected. */
    waitForConnection?: { isConnected(): Promise<boolean>; timeoutMs?: number };
  }): Promise<{ applied: Array<{ kind: string; name: string; namespace?: string }>; manifests?: string; connected?: boolean }>;
}

/** `ferry agents list`, `ferry agent` (run one), `ferry agent create` (install one into a cluster). */
export function registerAgentCommands(program: Command, ctx: CommandContext): void {
  const agents = program.command('agents').description('the Remote Network Agents connected to the hub');
  const list = agents.command('list').description("the tenant's connected agents");
  for (const option of hubOptions()) list.addOption(option);
  list.addOption(outputOption()).action(async (options: ConnectionFlags & { output: OutputFormat }) => {
    const answer = await requireHub(options, ctx.io, 'agents list').json<{ agents: AgentView[] }>('GET', 'api/v1/agents');
    if (options.output !== 'text') ctx.io.stdout(formatData(options.output, answer));
    else if (answer.agents.length === 0) ctx.io.stdout('no agents connected\n');
    else ctx.io.stdout(answer.agents.map((a) => `${a.identifier}  ${a.version}  connected ${a.connectedAtIso}  last heartbeat ${a.lastHeartbeatAtIso}  via ${a.hubReplica}\n`).join(''));
    ctx.setExit(ExitCode.Success);
  });

  const agent = program
    .command('agent')
    .description('run a Remote Network Agent in this process (configured by FERRY_AGENT_* variables; see `ferry agent create` to install one in a cluster)')
    .addOption(envOption('--identifier <name>', 'the agent identifier (the target name in cluster-account mode)', 'FERRY_AGENT_IDENTIFIER'))
    .addOption(envOption('--hub-address <host:port>', "the Agent Hub's gRPC address", 'FERRY_HUB_ADDRESS'))
    .addOption(envOption('--hub-ca-file <path>', "the hub's CA", 'FERRY_HUB_CA_FILE'))
    .addOption(envOption('--issuer <url>', 'the OIDC issuer for its client-credentials token', 'FERRY_ISSUER'))
    .addOption(envOption('--client-id <id>', 'machine credential client id', 'FERRY_CLIENT_ID'))
    .addOption(envOption('--client-secret <secret>', 'machine credential client secret', 'FERRY_CLIENT_SECRET'))
    .action(async (options: { identifier?: string; hubAddress?: string; hubCaFile?: string; issuer?: string; clientId?: string; clientSecret?: string }) => {
      const bin = packageBin('@ferry/agent', 'ferry-agent', 'agent');
      const env: NodeJS.ProcessEnv = { ...ctx.io.env };
      const set = (name: string, value: string | undefined) => {
        if (value !== undefined) env[name] = value;
      };
      set('FERRY_AGENT_IDENTIFIER', options.identifier);
      set('FERRY_HUB_ADDRESS', options.hubAddress);
      set('FERRY_HUB_CA_FILE', options.hubCaFile);
      set('FERRY_ISSUER', options.issuer);
      set('FERRY_CLIENT_ID', options.clientId);
      set('FERRY_CLIENT_SECRET', options.clientSecret);
      ctx.setExit(await runChild(bin, env, ctx.signal));
    });

  const create = agent
    .command('create')
    .description('install an agent into the current kube context, with a new machine credential from the hub')
    .addOption(envOption('--identifier <name>', 'the agent identifier (default: the kube context name)', 'FERRY_AGENT_IDENTIFIER'))
    .addOption(envOption('--namespace <name>', 'the namespace to install into', 'FERRY_AGENT_NAMESPACE').default('ferry-agent'))
    .addOption(envOption('--context <name>', 'the kube context (default: the current one)', 'FERRY_KUBE_CONTEXT'))
    .addOption(envOption('--kubeconfig <path>', 'the kubeconfig (default $KUBECONFIG or ~/.kube/config)', 'FERRY_KUBECONFIG'))
    .addOption(envOption('--hub-address <host:port>', "the Agent Hub's address as the cluster reaches it", 'FERRY_HUB_ADDRESS'))
    .addOption(envOption('--dry-run', 'print what would be applied', 'FERRY_DRY_RUN'));
  for (const option of hubOptions()) create.addOption(option);
  create.addOption(outputOption()).action(async (options: ConnectionFlags & { identifier?: string; namespace: string; context?: string; kubeconfig?: string; hubAddress?: string; dryRun?: boolean; output: OutputFormat }) => {
    // `--identifier` and `--hub-address` are also options of the parent `agent` command, and
    // commander hands them to the parent when they are given: take them from there.
    const parent = agent.opts<{ identifier?: string; hubAddress?: string }>();
    const client = requireHub(options, ctx.io, 'agent create');
    if (!findPackageDir('@ferry/agent')) throw new FerryUnavailableError('ferry agent create needs the @ferry/agent package, which is not installed', { code: 'package_missing' });
    const hook = await importPackage<Partial<AgentInstallHook>>('@ferry/agent', 'agent create');
    if (typeof hook.installAgent !== 'function') {
      throw new FerryUnavailableError('the installed @ferry/agent does not provide installAgent() yet, so ferry agent create cannot install it (apply its manifests by hand meanwhile)', { code: 'agent_install_unavailable' });
    }
    const identifier = options.identifier ?? parent.identifier ?? options.context ?? 'default';
    const credential = options.dryRun
      ? { clientId: '<new-client-id>', clientSecret: '<new-client-secret>' }
      : await client.json<{ clientId: string; clientSecret: string }>('POST', 'api/v1/credentials', { name: `agent-${identifier}`, roles: ['agent'] });
    const hubAddress = options.hubAddress ?? parent.hubAddress ?? new URL(client.target.baseUrl).host;
    const result = await hook.installAgent({
      identifier,
      hubAddress,
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      namespace: options.namespace,
      ...(options.kubeconfig ? { kubeconfigPath: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(client.target.ca ? { caPem: client.target.ca } : {}),
      issuer: `${client.target.baseUrl.replace(/\/+$/, '')}/oidc`,
      dryRun: Boolean(options.dryRun),
      waitForConnection: {
        isConnected: async () => (await client.json<{ agents: AgentView[] }>('GET', 'api/v1/agents')).agents.some((a) => a.identifier === identifier),
      },
    });
    if (options.output !== 'text') ctx.io.stdout(formatData(options.output, { identifier, namespace: options.namespace, clientId: credential.clientId, applied: result.applied }));
    else if (options.dryRun && result.manifests) ctx.io.stdout(result.manifests);
    else ctx.io.stdout(`agent ${identifier} installed in namespace ${options.namespace}: ${result.applied.map((a) => `${a.kind}/${a.name}`).join(', ')}\n${result.connected ? `agent ${identifier} is connected to the hub\n` : 'See it connect: ferry agents list\n'}`);
    ctx.setExit(ExitCode.Success);
  });
}

/** Runs a package's bin with our stdio; SIGINT/SIGTERM are passed on; resolves with its exit code. */
function runChild(bin: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<ExitCode> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin], { env, stdio: 'inherit' });
    const stop = () => child.kill('SIGTERM');
    signal.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('exit', (code) => {
      signal.removeEventListener('abort', stop);
      resolve(code === 0 ? ExitCode.Success : ExitCode.Error);
    });
  });
}
