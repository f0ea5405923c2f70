/**
 * The agent relay under load (`npm run bench:relay`), all in one run:
 *
 *   npm run bench:relay                      (3 s per case, 2,000 idle agents, 5 rounds)
 *   npm run bench:relay -- 5 1000 3          (seconds per case, idle agents, rounds)
 *   FERRY_BENCH_CASES="1 KB" FERRY_BENCH_CONCURRENCY=64 npm run bench:relay -- 3 0   (only these cases)
 *   FERRY_BENCH_PROFILE=/tmp/prof npm run bench:relay -- 3 0    (CPU profiles of hub, agent and upstream)
 *
 * 1. HTTP GETs of 1 KB and 1 MB bodies at concurrency 1 and 64, for a fixed time each:
 *    direct to a local HTTP server; through hub → agent (`AgentHub.open`, gRPC over TLS); and
 *    through OpenSSH port forwarding (`ssh -L` against a private sshd started for the run).
 *    Throughput (requests/s, MB/s) and latency (p50/p99), with ratios to direct: the median of
 *    several interleaved rounds. Then the CPU time each process spent per request.
 * 2. Idle agents: N agent streams (register, then heartbeats only), one TLS connection each,
 *    to an Agent Hub in a fresh process, in steps of 500, and its heap and RSS growth per agent
 *    (the slope over the steps); then, as the baselines, as many streams to a bare grpc-js
 *    server with the same service, bare TLS + HTTP/2 sessions to a plain Node HTTP/2 server
 *    and bare TLS connections to a plain TLS server. Up to 3 interleaved rounds; the median.
 *
 * This process is the hub alone (Agent Hub, token issuer and the load generator that stands
 * for the engine); the agent, the upstream server and the idle agents run in child processes
 * (this same file with `--role`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, request } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const say = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Idle connections are added (and memory read) in steps of this many. */
const MEMORY_STEP = 500;
const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);

// The parent asks its children to exit (rather than killing them) so that their CPU profiles
// get written, and asks for their CPU time to split each case's cost between the processes.
if (role) {
  process.on('message', (message) => {
    if (message === 'exit') process.exit(0);
    if (message === 'cpu') process.send!({ cpuMicros: cpuMicros() });
  });
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

if (role === 'upstream') await runUpstream();
else if (role === 'agent') await runAgent();
else if (role === 'idle-agents') await runIdleAgents();
else if (role === 'idle-h2') await runIdleHttp2Sessions();
else if (role === 'memory-hub') await runMemoryServer('hub');
else if (role === 'memory-grpc') await runMemoryServer('grpc');
else if (role === 'memory-h2') await runMemoryServer('h2');
else if (role === 'memory-tls') await runMemoryServer('tls');
else if (role === 'idle-tls') await runIdleTlsConnections();
else await runBench();

// ---------------------------------------------------------------------------------------
// Child roles

async function runUpstream(): Promise<void> {
  const { startUpstream } = await import('../src/agent-hub/relay-harness.js');
  const upstream = await startUpstream();
  process.send!({ port: upstream.port });
}

async function runAgent(): Promise<void> {
  const { startAgent } = await import('@ferry/agent');
  const { fakeClusterApi } = await import('../src/agent-hub/relay-harness.js');
  const config = JSON.parse(process.env.FERRY_BENCH_AGENT!) as { hubPort: number; caPem: string; tokenUrl: string; upstreamPort: number };
  const upstream = { url: `http://127.0.0.1:${config.upstreamPort}`, port: config.upstreamPort, seen: [], abandoned: [], close: async () => undefined };
  const agent = await startAgent({
    identifier: 'bench',
    hub: { address: `127.0.0.1:${config.hubPort}`, caPem: config.caPem },
    auth: { tokenUrl: config.tokenUrl, clientId: 'bench', clientSecret: 'bench-secret' },
    cluster: fakeClusterApi(upstream),
    allowedHosts: [`127.0.0.1:${config.upstreamPort}`],
    healthPort: 0,
  });
  await agent.connected(30_000);
  process.send!({ connected: true });
}

/** Opens `count` agent streams, one gRPC channel (TLS connection) each, and keeps them open. */
async function runIdleAgents(): Promise<void> {
  const { credentials, Metadata } = await import('@grpc/grpc-js');
  const { agentHubProto } = await import('@ferry/proto');
  const config = JSON.parse(process.env.FERRY_BENCH_IDLE!) as { port: number; caPem: string; token: string; from: number; count: number };
  const Client = agentHubProto().AgentHub;
  const ssl = credentials.createSsl(Buffer.from(config.caPem));
  let registered = 0;
  let failed = '';
  // Progress for the parent (which measures once the hub holds every stream).
  setInterval(() => process.send!({ registered, failed }), 1_000);
  // Like a real agent: register, answer heartbeats (or the hub closes the stream as silent); retry a refused connection.
  const open = (i: number, attempt: number) => {
    const client = new Client(`127.0.0.1:${config.port}`, ssl, { 'grpc.channel_id': `${i}-${attempt}`, 'grpc.use_local_subchannel_pool': 1 } as never);
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${config.token}`);
    const call = client.connect(metadata);
    call.on('data', (frame: { kind?: string }) => {
      if (frame.kind === 'registered') registered++;
      if (frame.kind === 'heartbeat') call.write({ heartbeat: { sentAtMs: Date.now(), inFlight: 0 } });
    });
    call.on('error', (error: Error) => {
      failed = error.message;
      client.close();
      if (attempt < 5) setTimeout(() => open(i, attempt + 1), 1_000 + Math.random() * 2_000);
    });
    call.write({ register: { identifier: `idle-${i}`, instanceId: `i-${i}`, version: 'bench', clusterAccount: false, requestWindow: 65536 } });
  };
  for (let i = config.from; i < config.from + config.count; i++) {
    open(i, 0);
    // Don't stampede the hub's TLS handshakes.
    if (i % 50 === 49) await sleep(20);
  }
}

/** The runtime's floor for comparison: bare TLS + HTTP/2 sessions with one open stream each, a small frame every 2 s. */
async function runIdleHttp2Sessions(): Promise<void> {
  const http2 = await import('node:http2');
  const config = JSON.parse(process.env.FERRY_BENCH_IDLE!) as { port: number; caPem: string; count: number };
  let open = 0;
  setInterval(() => process.send!({ registered: open, failed: '' }), 1_000);
  for (let i = 0; i < config.count; i++) {
    const session = http2.connect(`https://127.0.0.1:${config.port}`, { ca: config.caPem, servername: 'localhost' });
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': '/idle' }, { endStream: false });
    stream.on('response', () => open++);
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    setInterval(() => stream.write(Buffer.alloc(16)), 2_000);
    if (i % 50 === 49) await sleep(20);
  }
}

/** A second baseline: bare TLS connections (no HTTP/2), a small write every 2 s. */
async function runIdleTlsConnections(): Promise<void> {
  const { connect: tlsConnect } = await import('node:tls');
  const config = JSON.parse(process.env.FERRY_BENCH_IDLE!) as { port: number; caPem: string; count: number };
  for (let i = 0; i < config.count; i++) {
    const socket = tlsConnect({ port: config.port, host: '127.0.0.1', ca: config.caPem, servername: 'localhost' });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    setInterval(() => socket.write(Buffer.alloc(16)), 2_000);
    if (i % 50 === 49) await sleep(20);
  }
}

/**
 * A fresh process that serves idle connections and reports its memory: an Agent Hub (agent
 * streams), or one of the baselines beneath it: a bare `@grpc/grpc-js` server with the same
 * service and heartbeats but nothing of Ferry, a plain Node HTTP/2 server (bare sessions), a
 * plain TLS server. Fresh, so that what the throughput cases left in the bench process's heap
 * and allocator does not blur the figures.
 */
async function runMemoryServer(kind: MemoryServerKind): Promise<void> {
  const { makeTestTls, AGENT_HUB_GRANT, MemoryAgentRepository, MemoryTargetRepository, startTestIssuer } = await import('../src/agent-hub/test-support.js');
  const tls = makeTestTls();
  let held: () => number;
  let port: number;
  let token = '';
  if (kind === 'hub') {
    const { createAgentHub } = await import('@ferry/hub/agent-hub');
    const issuer = await startTestIssuer();
    issuer.addClient({ clientId: 'bench', clientSecret: 'bench-secret', tenant: 'bench', grants: AGENT_HUB_GRANT, ttlSeconds: 3600 });
    token = await issuer.mint({ clientId: 'bench', tenant: 'bench', grants: AGENT_HUB_GRANT }, { expiresInSeconds: 3600 });
    const hub = await createAgentHub({ verifier: issuer.verifier, agents: new MemoryAgentRepository(), targets: new MemoryTargetRepository(), tls, replicaName: 'memory', heartbeatIntervalMs: 2_000 });
    held = () => hub.connected().length;
    port = hub.port;
  } else if (kind === 'grpc') {
    const { Server, ServerCredentials } = await import('@grpc/grpc-js');
    const { agentHubService } = await import('@ferry/proto');
    // The hub's own server options, so that the difference is Ferry's code alone.
    const server = new Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000, 'grpc.keepalive_permit_without_calls': 1, 'grpc.enable_channelz': 0 });
    const streams = new Set<{ write(message: unknown): unknown }>();
    server.addService(agentHubService(), {
      Connect: (call: { write(message: unknown): unknown; on(event: string, listener: () => void): unknown }) => {
        call.on('data', () => undefined);
        call.on('error', () => undefined);
        call.on('close', () => streams.delete(call));
        streams.add(call);
        call.write({ registered: { hubReplica: 'memory', heartbeatIntervalMs: 2_000 } });
      },
    } as never);
    setInterval(() => {
      for (const stream of streams) stream.write({ heartbeat: { sentAtMs: Date.now(), inFlight: 0 } });
    }, 2_000);
    const credentials = ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }], false);
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
    held = () => streams.size;
  } else if (kind === 'tls') {
    const { createServer: createTlsServer } = await import('node:tls');
    let open = 0;
    const server = createTlsServer({ key: tls.keyPem, cert: tls.certPem }, (socket) => {
      open++;
      socket.on('close', () => open--);
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    held = () => open;
    port = (server.address() as AddressInfo).port;
  } else {
    const http2 = await import('node:http2');
    const server = http2.createSecureServer({ key: tls.keyPem, cert: tls.certPem });
    const streams = new Set<unknown>();
    server.on('stream', (stream) => {
      streams.add(stream);
      stream.on('close', () => streams.delete(stream));
      stream.respond({ ':status': 200 });
      stream.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    held = () => streams.size;
    port = (server.address() as AddressInfo).port;
  }
  process.on('message', (message) => {
    if (message === 'held') process.send!({ held: held() });
    if (message === 'memory') {
      global.gc?.();
      global.gc?.();
      process.send!({ memory: process.memoryUsage(), held: held() });
    }
  });
  process.send!({ port, caPem: tls.caPem, token });
}

// ---------------------------------------------------------------------------------------
// The hub process

interface Result {
  rps: number;
  mbps: number;
  p50: number;
  p99: number;
  /** CPU time per request (µs) of each process taking part, by role. */
  cpuPerRequest: Record<string, number>;
}

function child(roleName: string, env: Record<string, string> = {}): { process: ChildProcess; message: Promise<Record<string, unknown>> } {
  const profile = process.env.FERRY_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.FERRY_BENCH_PROFILE, roleName)}`] : [];
  const proc = spawn(process.execPath, [...profile, '--expose-gc', '--import', 'tsx', HERE, `--role=${roleName}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const message = new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as Record<string, unknown>));
    proc.once('exit', (code) => reject(new Error(`child ${roleName} exited (${code})`)));
  });
  return { process: proc, message };
}

type MemoryServerKind = 'hub' | 'grpc' | 'h2' | 'tls';

interface MemoryPerConnection {
  heap: number;
  native: number;
  /** RSS growth outside V8's heap: the runtime's native memory (OpenSSL, nghttp2, libuv) and allocator slack. */
  offHeap: number;
  rss: number;
}

interface MemoryRun {
  connected: number;
  connectSeconds: number;
  /** What one more connection costs: the least-squares slope over every step after the first. */
  marginal: MemoryPerConnection;
  /** All growth from no connection to `connected`, over `connected` (with the one-off growth of the first ones). */
  average: MemoryPerConnection;
  /** RSS growth per connection of each step, to show the spread the slope smooths out. */
  stepRss: number[];
}

/**
 * Starts `serverRole` in a fresh process, connects `total` idle clients to it in steps of 500
 * and reads its memory (after GC) before and after each step. A step's growth moves by tens of
 * KB per connection (V8 sizes its heap in jumps, the allocator grows its arenas in jumps), so
 * the marginal cost is the slope fitted through every step after the first one: what one more
 * connection costs once the one-off growth of the first connections is past.
 */
async function memoryPerConnection(serverRole: string, clientRole: string, total: number, children: ChildProcess[]): Promise<MemoryRun> {
  const server = child(serverRole);
  children.push(server.process);
  const config = await server.message;
  const ask = <T,>(question: string, key: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        server.process.off('message', onMessage);
        resolve(message as T);
      };
      server.process.on('message', onMessage);
      server.process.send(question);
    });
  const held = async () => (await ask<{ held: number }>('held', 'held')).held;
  const memory = async () => {
    await sleep(5_000);
    return (await ask<{ memory: NodeJS.MemoryUsage }>('memory', 'memory')).memory;
  };
  const clients: ChildProcess[] = [];
  const connectUpTo = async (from: number, target: number) => {
    const c = child(clientRole, { FERRY_BENCH_IDLE: JSON.stringify({ port: config.port, caPem: config.caPem, token: config.token, from, count: target - from }) });
    // Idle clients may never report; their exit when killed after the round is expected.
    c.message.catch(() => undefined);
    children.push(c.process);
    clients.push(c.process);
    // Until the server holds every connection, or nothing moves for 20 s.
    let last = -1;
    let lastChange = Date.now();
    for (let now = await held(); now < target && Date.now() - lastChange < 20_000; now = await held()) {
      if (now !== last) [last, lastChange] = [now, Date.now()];
      await sleep(250);
    }
    return held();
  };
  const points: Array<{ connections: number; memory: NodeJS.MemoryUsage }> = [{ connections: 0, memory: await memory() }];
  let connectMs = 0;
  for (let target = Math.min(MEMORY_STEP, total); ; target = Math.min(target + MEMORY_STEP, total)) {
    const started = performance.now();
    const connections = await connectUpTo(points.at(-1)!.connections, target);
    connectMs += performance.now() - started;
    points.push({ connections, memory: await memory() });
    if (target >= total || connections < target) break;
  }
  for (const c of [...clients, server.process]) c.kill('SIGKILL');

  const measures: Record<keyof MemoryPerConnection, (m: NodeJS.MemoryUsage) => number> = {
    heap: (m) => m.heapUsed,
    native: (m) => m.heapUsed + m.external,
    offHeap: (m) => m.rss - m.heapTotal,
    rss: (m) => m.rss,
  };
  const per = (pick: (measure: (m: NodeJS.MemoryUsage) => number) => number) =>
    Object.fromEntries(Object.entries(measures).map(([key, measure]) => [key, pick(measure) / 1024])) as unknown as MemoryPerConnection;
  const [first, last] = [points[0]!, points.at(-1)!];
  const afterFirstStep = points.slice(1);
  return {
    connected: last.connections,
    connectSeconds: connectMs / 1000,
    marginal: per((measure) => slope(afterFirstStep.map((p) => [p.connections, measure(p.memory)]))),
    average: per((measure) => (measure(last.memory) - measure(first.memory)) / last.connections),
    stepRss: points.slice(1).map((p, i) => (p.memory.rss - points[i]!.memory.rss) / (p.connections - points[i]!.connections) / 1024),
  };
}

/** The least-squares slope of y over x (NaN with fewer than two distinct x). */
function slope(xy: Array<[number, number]>): number {
  const n = xy.length;
  const meanX = xy.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = xy.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = xy.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = xy.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** The round with the median throughput. */
function median(results: Result[]): Result {
  return [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
}

/** With FERRY_BENCH_PROFILE, a CPU profile of this process (the hub) while `stop` is pending; else nothing. */
async function profileThisProcess(name: string): Promise<() => Promise<void>> {
  const dir = process.env.FERRY_BENCH_PROFILE;
  if (!dir) return async () => undefined;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(join(dir, 'hub'), { recursive: true });
    writeFileSync(join(dir, 'hub', `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

/** Asks a child to exit, then kills it if it has not within 5 s. */
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.send('exit');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open`);
    await sleep(100);
  }
}

/** A private sshd on a free loopback port (temporary host key, an authorized key made for the run) and `ssh -L` to the upstream. */
async function startSshForward(upstreamPort: number): Promise<{ port: number; close(): void }> {
  if (!existsSync('/usr/sbin/sshd') || !existsSync('/usr/bin/ssh-keygen')) {
    throw new Error('the ssh -L baseline needs OpenSSH (/usr/sbin/sshd, ssh-keygen): run `bash packages/devcluster/scripts/install-prerequisites.sh` (installs openssh-server and openssh-client)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-ssh-'));
  const run = (file: string, args: string[]) => execFileSync(file, args, { stdio: 'pipe' });
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  execFileSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')]);
  const sshPort = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${sshPort}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      '',
    ].join('\n'),
  );
  // Privilege separation needs this directory (absent in containers without the service).
  execFileSync('mkdir', ['-p', '/run/sshd']);
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let sshdLog = '';
  sshd.stderr?.on('data', (c: Buffer) => (sshdLog += c.toString()));
  try {
    await waitForPort(sshPort);
  } catch (error) {
    sshd.kill('SIGKILL');
    throw new Error(`sshd did not start: ${sshdLog}`, { cause: error });
  }
  const localPort = await freePort();
  const ssh = spawn(
    'ssh',
    ['-N', '-L', `127.0.0.1:${localPort}:127.0.0.1:${upstreamPort}`, '-p', String(sshPort), '-i', join(dir, 'client_key'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'root@127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(localPort);
  return {
    port: localPort,
    close() {
      ssh.kill('SIGTERM');
      sshd.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU time used so far by this process and each child, in µs. */
async function cpuTimes(children: Record<string, ChildProcess>): Promise<Record<string, number>> {
  const times: Record<string, number> = { bench: cpuMicros() };
  for (const [name, proc] of Object.entries(children)) {
    times[name] = await new Promise<number>((resolve) => {
      const onMessage = (message: { cpuMicros?: number }) => {
        if (message.cpuMicros === undefined) return;
        proc.off('message', onMessage);
        resolve(message.cpuMicros);
      };
      proc.on('message', onMessage);
      proc.send('cpu');
    });
  }
  return times;
}

async function measure(get: () => Promise<number>, concurrency: number, seconds: number, children: Record<string, ChildProcess>): Promise<Result> {
  // A short warm-up (connections, JIT), not counted.
  const warmEnd = Date.now() + 300;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < warmEnd) await get();
  }));
  const latencies: number[] = [];
  let bytes = 0;
  const cpuBefore = await cpuTimes(children);
  const started = performance.now();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const begun = performance.now();
        // Not `bytes += await get()`: that reads `bytes` before the await and loses the other workers' counts.
        const received = await get();
        bytes += received;
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = await cpuTimes(children);
  const cpuPerRequest = Object.fromEntries(Object.keys(cpuAfter).map((name) => [name, (cpuAfter[name]! - cpuBefore[name]!) / latencies.length]));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    mbps: bytes / elapsed / 1e6,
    p50: latencies[Math.floor(latencies.length / 2)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    cpuPerRequest,
  };
}

async function runBench(): Promise<void> {
  const seconds = Math.max(1, Number(process.argv[2] ?? 3) || 3);
  const idleAgents = Math.max(0, Number(process.argv[3] ?? 2000));
  const roundCount = Math.max(1, Number(process.argv[4] ?? 5) || 5);
  // The built package, as a platform would run it (tsx's transform of the sources adds a name helper to every closure).
  const { createAgentHub } = await import('@ferry/hub/agent-hub');
  const { AGENT_HUB_GRANT, makeTestTls, MemoryAgentRepository, MemoryTargetRepository, startTestIssuer } = await import('../src/agent-hub/test-support.js');

  const tls = makeTestTls();
  const issuer = await startTestIssuer();
  issuer.addClient({ clientId: 'bench', clientSecret: 'bench-secret', tenant: 'bench', grants: AGENT_HUB_GRANT, ttlSeconds: 3600 });
  const hub = await createAgentHub({ verifier: issuer.verifier, agents: new MemoryAgentRepository(), targets: new MemoryTargetRepository(), tls, replicaName: 'bench', heartbeatIntervalMs: 2_000 });
  const children: ChildProcess[] = [];
  let ssh: { port: number; close(): void } | undefined;
  const cleanup = () => {
    ssh?.close();
    for (const c of children) c.kill('SIGKILL');
  };
  process.on('exit', cleanup);

  try {
    const upstreamChild = child('upstream');
    children.push(upstreamChild.process);
    const upstreamPort = (await upstreamChild.message).port as number;
    const agentChild = child('agent', { FERRY_BENCH_AGENT: JSON.stringify({ hubPort: hub.port, caPem: tls.caPem, tokenUrl: issuer.tokenUrl, upstreamPort }) });
    children.push(agentChild.process);
    await agentChild.message;
    const idleOnly = Boolean(process.env.FERRY_BENCH_IDLE_ONLY);
    ssh = idleOnly ? undefined : await startSshForward(upstreamPort);

    const pool = new HttpAgent({ keepAlive: true, maxSockets: 64 });
    const httpGet = (port: number, path: string) => () =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, agent: pool }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve(bytes));
          res.on('error', reject);
        })
          .on('error', reject)
          .end();
      });
    // Reads the body the way `httpGet` does (counting bytes), so both load generators do the same work.
    const relayGet = (path: string) => async () => {
      const response = await hub.open('bench', 'bench', { method: 'GET', destination: { url: `http://127.0.0.1:${upstreamPort}${path}` }, headers: [] });
      return new Promise<number>((resolve, reject) => {
        let bytes = 0;
        response.body.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.body.on('end', () => resolve(bytes));
        response.body.on('error', reject);
      });
    };

    say(`# Relay benchmark (${seconds} s per case; hub alone in this process, agent/upstream/sshd in others)\n`);
    say('| case | direct req/s | relay req/s | ssh -L req/s | relay/direct | relay/ssh | direct MB/s | relay MB/s | ssh MB/s | p50/p99 ms direct | p50/p99 ms relay | p50/p99 ms ssh |');
    say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const ms = (r: Result) => `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)}`;
    const cpu = (r: Result) =>
      Object.entries(r.cpuPerRequest)
        .map(([name, micros]) => `${name} ${micros.toFixed(0)}`)
        .join(', ');
    const cpuRows: string[] = [];
    const spreadRows: string[] = [];
    const cases = ([['1 KB', '/small'], ['1 MB', '/big']] as const).filter(([label]) => label.startsWith(process.env.FERRY_BENCH_CASES ?? ''));
    for (const [label, path] of idleOnly ? [] : cases) {
      for (const concurrency of [1, 64].filter((c) => !process.env.FERRY_BENCH_CONCURRENCY || String(c) === process.env.FERRY_BENCH_CONCURRENCY)) {
        // Rounds of direct, relay and ssh in turn; each column is its median round, so a
        // passing burst of load elsewhere on the machine skews one round, not the result.
        const rounds: Array<{ direct: Result; relay: Result; viaSsh: Result }> = [];
        for (let round = 0; round < roundCount; round++) {
          const direct = await measure(httpGet(upstreamPort, path), concurrency, seconds, { upstream: upstreamChild.process });
          const stopProfile = await profileThisProcess(`relay-${label.replace(' ', '')}-c${concurrency}-${round}`);
          const relay = await measure(relayGet(path), concurrency, seconds, { agent: agentChild.process, upstream: upstreamChild.process });
          await stopProfile();
          const viaSsh = await measure(httpGet(ssh!.port, path), concurrency, seconds, { upstream: upstreamChild.process });
          rounds.push({ direct, relay, viaSsh });
        }
        const direct = median(rounds.map((r) => r.direct));
        const relay = median(rounds.map((r) => r.relay));
        const viaSsh = median(rounds.map((r) => r.viaSsh));
        const spread = (pick: (r: (typeof rounds)[number]) => Result) => rounds.map((r) => pick(r).rps.toFixed(0)).join('/');
        cpuRows.push(`| ${label}, c=${concurrency} | ${cpu(direct)} | ${cpu(relay)} | ${cpu(viaSsh)} |`);
        spreadRows.push(`| ${label}, c=${concurrency} | ${spread((r) => r.direct)} | ${spread((r) => r.relay)} | ${spread((r) => r.viaSsh)} |`);
        say(
          `| ${label}, c=${concurrency} | ${direct.rps.toFixed(0)} | ${relay.rps.toFixed(0)} | ${viaSsh.rps.toFixed(0)} | ${(relay.rps / direct.rps).toFixed(2)}× | ${(relay.rps / viaSsh.rps).toFixed(2)}× | ${direct.mbps.toFixed(1)} | ${relay.mbps.toFixed(1)} | ${viaSsh.mbps.toFixed(1)} | ${ms(direct)} | ${ms(relay)} | ${ms(viaSsh)} |`,
        );
      }
    }
    if (roundCount > 1 && spreadRows.length > 0) {
      say(`\nreq/s of each round (${roundCount} rounds; the table above shows the median):\n`);
      say('| case | direct | relay | ssh -L |');
      say('|---|---|---|---|');
      for (const row of spreadRows) say(row);
    }
    if (cpuRows.length > 0) {
      say('\nCPU time per request (µs) of each process: `bench` is the load generator (and, for the relay, the hub); sshd and ssh are not counted.\n');
      say('| case | direct | relay | ssh -L |');
      say('|---|---|---|---|');
      for (const row of cpuRows) say(row);
    }
    pool.destroy();
    ssh?.close();
    ssh = undefined;
    await stopChild(agentChild.process);
    await stopChild(upstreamChild.process);

    if (idleAgents > 0) {
      // Fresh processes in interleaved rounds; each line is the round with the median marginal RSS.
      const memoryRounds = Math.min(roundCount, 3);
      const servers: Array<{ kind: MemoryServerKind; clients: string; label: string }> = [
        { kind: 'hub', clients: 'idle-agents', label: 'Agent Hub, agent streams' },
        { kind: 'grpc', clients: 'idle-agents', label: 'baseline: bare `@grpc/grpc-js` server, same service and heartbeats, nothing of Ferry' },
        { kind: 'h2', clients: 'idle-h2', label: 'baseline: plain Node HTTP/2 server, bare TLS + HTTP/2 sessions' },
        { kind: 'tls', clients: 'idle-tls', label: 'baseline: plain Node TLS server, bare TLS connections' },
      ];
      const measured = new Map<MemoryServerKind, MemoryRun[]>(servers.map(({ kind }) => [kind, []]));
      for (let round = 0; round < memoryRounds; round++) {
        for (const { kind, clients } of servers) measured.get(kind)!.push(await memoryPerConnection(`memory-${kind}`, clients, idleAgents, children));
      }
      const medianRun = (kind: MemoryServerKind) => {
        const runs = [...measured.get(kind)!].sort((a, b) => a.marginal.rss - b.marginal.rss);
        return runs[Math.floor(runs.length / 2)]!;
      };
      const hubRun = medianRun('hub');
      const kb = (value: number) => `${value.toFixed(1)} KB`;
      const row = (label: string, m: MemoryPerConnection, goal: string) => `| ${label} | ${kb(m.heap)} | ${kb(m.native)} | ${kb(m.offHeap)} | ${kb(m.rss)} | ${goal} |`;
      say(
        `\n${hubRun.connected} idle agents connected in ${hubRun.connectSeconds.toFixed(1)} s (each its own TLS connection and stream, heartbeats every 2 s), ` +
          `in steps of ${MEMORY_STEP}; each server in a fresh process; memory read after GC at every step; ${memoryRounds} interleaved rounds, the median shown.\n`,
      );
      say('| memory per connection (marginal: slope over the steps after the first) | heap | heap + external | outside V8 heap (RSS − heap total) | RSS | goal |');
      say('|---|---:|---:|---:|---:|---|');
      for (const { kind, label } of servers) say(row(label, medianRun(kind).marginal, kind === 'hub' ? '≤ 50 KB' : '—'));
      say(row(`Agent Hub, average over all ${hubRun.connected} agents (with the one-off growth of the first ones)`, hubRun.average, '—'));
      say('\nRSS per connection of each step, each round (the spread the slope smooths out):\n');
      say('| server | rounds |');
      say('|---|---|');
      for (const { kind } of servers) say(`| ${kind} | ${measured.get(kind)!.map((run) => run.stepRss.map((v) => v.toFixed(0)).join('/')).join(' · ')} KB |`);
      const bareGrpc = medianRun('grpc').marginal;
      const signed = (value: number) => `${value >= 0 ? '+' : '−'}${kb(Math.abs(value))}`;
      say(`\nAgent Hub − bare grpc-js server (marginal): heap ${signed(hubRun.marginal.heap - bareGrpc.heap)}, RSS ${signed(hubRun.marginal.rss - bareGrpc.rss)}.`);
    }
  } finally {
    cleanup();
    await hub.close();
    await issuer.close();
  }
  process.exit(0);
}
