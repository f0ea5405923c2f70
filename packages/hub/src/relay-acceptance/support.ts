/** Shared setup of the relay acceptance tests: a ServiceAccount kubeconfig, hub TLS files, agent child processes. Not exported. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import { makeTestTls } from '../agent-hub/test-support.js';
import type { SpawnedHub } from '../test-support/index.js';
import { waitFor } from '../test-support/index.js';

/** The built agent binary (`npx tsup` in packages/agent first). */
export const AGENT_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'agent', 'dist', 'bin.js');

/**
 * A ServiceAccount in the namespace bound (ClusterRoleBinding) to `cluster-admin`; the token
 * controller writes its token Secret (Kubernetes 1.20). Answers a kubeconfig file using only
 * that token, and a cleanup for the binding.
 */
export async function serviceAccountKubeconfig(ns: TestNamespace, dir: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const name = 'ferry-agent';
  const binding = `ferry-agent-${ns.name}`;
  const rbac = ns.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  await ns.core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name } } });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: binding },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns.name }],
    },
  });
  const secretName = await waitFor(
    'the ServiceAccount token Secret',
    async () => (await ns.core.readNamespacedServiceAccount({ name, namespace: ns.name })).secrets?.[0]?.name,
    60_000,
  );
  const secret = await ns.core.readNamespacedSecret({ name: secretName, namespace: ns.name });
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'a', server: ns.cluster.server, caData: secret.data!['ca.crt']!, skipTLSVerify: false }],
    users: [{ name, token: Buffer.from(secret.data!.token!, 'base64').toString() }],
    contexts: [{ name: 'a', cluster: 'a', user: name, namespace: ns.name }],
    currentContext: 'a',
  });
  const path = join(dir, 'agent-kubeconfig');
  writeFileSync(path, config.exportConfig(), { mode: 0o600 });
  return { path, cleanup: () => rbac.deleteClusterRoleBinding({ name: binding }).then(() => undefined, () => undefined) };
}

/** A certificate for 127.0.0.1 shared by hub replicas (so one CA serves an agent behind a balancer); hub flags for it. */
export function writeHubTls(dir: string): { caPem: string; caFile: string; args: string[] } {
  const tls = makeTestTls();
  const [cert, key, ca] = ['hub.pem', 'hub.key', 'ca.pem'].map((f) => join(dir, f)) as [string, string, string];
  writeFileSync(cert, tls.certPem);
  writeFileSync(key, tls.keyPem, { mode: 0o600 });
  writeFileSync(ca, tls.caPem);
  return { caPem: tls.caPem, caFile: ca, args: ['--tls-cert', cert, '--tls-key', key, '--tls-ca', ca] };
}

/**
 * spawnHub trusts `<data-dir>/tls/ca.pem` (where a hub keeps the CA it makes itself); with a
 * provided certificate the CA is elsewhere, so put a copy there before spawning.
 */
export function seedHubCa(dataDir: string, caPem: string): string {
  mkdirSync(join(dataDir, 'tls'), { recursive: true });
  writeFileSync(join(dataDir, 'tls', 'ca.pem'), caPem);
  return dataDir;
}

/** The Agent Hub port a spawned hub logged at start. */
export function agentHubPortOf(hub: SpawnedHub): number {
  const match = /"agentHub":"127\.0\.0\.1:(\d+)"/.exec(hub.output());
  if (!match) throw new Error(`the hub did not log its Agent Hub address:\n${hub.output()}`);
  return Number(match[1]);
}

export interface AgentProcessOptions {
  identifier: string;
  hubPort: number;
  caFile: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  kubeconfig: string;
  allowedHosts?: string[];
}

export interface AgentProcess {
  readonly child: ChildProcess;
  output(): string;
  /** How many times the agent logged "connected to the hub". */
  connections(): number;
  /** The hub replica of the latest connection. */
  lastReplica(): string | undefined;
  /** Resolves once the agent has connected more than `after` times. */
  connected(after?: number, timeoutMs?: number): Promise<void>;
  healthPort(): Promise<number>;
  kill9(): Promise<void>;
}

/** `ferry-agent` as a child process, configured by environment like in a cluster. */
export function spawnAgent(options: AgentProcessOptions): AgentProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FERRY_AGENT_IDENTIFIER: options.identifier,
    FERRY_HUB_ADDRESS: `127.0.0.1:${options.hubPort}`,
    FERRY_HUB_CA_FILE: options.caFile,
    FERRY_TOKEN_URL: options.tokenUrl,
    FERRY_CLIENT_ID: options.clientId,
    FERRY_CLIENT_SECRET: options.clientSecret,
    KUBECONFIG: options.kubeconfig,
    FERRY_AGENT_ALLOWED_HOSTS: (options.allowedHosts ?? []).join(','),
    FERRY_AGENT_HEALTH_PORT: '0',
    FERRY_AGENT_DRAIN_TIMEOUT_MS: '1000',
    FERRY_LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [AGENT_BIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const connectedLines = () => lines().filter((l) => l.msg === 'connected to the hub');
  return {
    child,
    output: () => output,
    connections: () => connectedLines().length,
    lastReplica: () => connectedLines().at(-1)?.hubReplica as string | undefined,
    connected: (after = 0, timeoutMs = 20_000) =>
      waitFor(`the agent to connect (${after + 1})`, async () => {
        if (child.exitCode !== null) throw new Error(`the agent exited:\n${output}`);
        return connectedLines().length > after ? true : undefined;
      }, timeoutMs, 100).then(() => undefined),
    healthPort: () => waitFor('the agent health port', async () => lines().find((l) => l.msg === 'agent started')?.healthPort as number | undefined, 20_000, 100),
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The TCP ports a process listens on (from /proc: its socket inodes matched against LISTEN entries). */
export async function listeningPortsOf(pid: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // st 0A = LISTEN; column 9 is the inode.
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
