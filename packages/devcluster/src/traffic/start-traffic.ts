import { Agent, request } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from '../node/kube-http.js';
import { readPodPorts } from '../node/state-files.js';
import { resolveRouting, type Routing } from './routing.js';
import { RoundRobin, WeightedRoundRobin, type LocalEndpoint } from './weights.js';

export interface StartTrafficOptions {
  kubeconfigPath?: string;
  kubeConfig?: KubeConfig;
  namespace: string;
  service: string;
  ratePerSecond: number;
  /** The cluster's directory (where the node keeps pods.json). */
  stateDir: string;
  /** Request path (default `/`). */
  path?: string;
  /** The generator stops by itself after this long (default 15 minutes). */
  maxDurationMs?: number;
  /** How often Service/Endpoints/routes are re-read (default 1 s). */
  refreshMs?: number;
  /** Requests allowed in flight at once; beyond that ticks are counted as `skipped` (default 64). */
  maxInFlight?: number;
  requestTimeoutMs?: number;
}

export interface TrafficStats {
  total: number;
  failures: number;
  skipped: number;
  byReplicaSet: Record<string, number>;
  byVersion: Record<string, number>;
  byStatus: Record<string, number>;
  /** Requests per routing backend (Service, or Service/subset for Istio subsets). */
  byBackend: Record<string, number>;
  /** The routing in force at the last refresh. */
  routing?: { source: Routing['source']; weights: Record<string, number>; readyEndpoints: Record<string, number> };
}

export interface RunningTraffic {
  stats(): TrafficStats;
  reset(): void;
  stop(): Promise<void>;
  /** Resolves when the generator stopped (by `stop` or after `maxDurationMs`). */
  readonly done: Promise<void>;
}

const TICK_MS = 50;

/**
 * Sends steady HTTP traffic at a Service the way kube-proxy in IPVS mode (or a mesh, when a
 * TrafficSplit, VirtualService or HTTPRoute routes it) would: split by route weights (smooth
 * weighted round-robin), then round-robin over the backend's ready endpoints, each reached at its
 * pod's loopback port from the node's pods.json. Deterministic spreading means an observed split
 * differs from the configured one only by what changed while traffic ran.
 */
export async function startTraffic(options: StartTrafficOptions): Promise<RunningTraffic> {
  if (!(options.ratePerSecond > 0 && options.ratePerSecond <= 2_000)) throw new Error('ratePerSecond must be in (0, 2000]');
  const kc = options.kubeConfig ?? loadKubeConfig(options.kubeconfigPath);
  const http = await KubeHttp.fromKubeConfig(kc, { maxSockets: 4, timeoutMs: 5_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const path = options.path ?? '/';
  const maxInFlight = options.maxInFlight ?? 64;
  const timeoutMs = options.requestTimeoutMs ?? 5_000;

  let stats = emptyStats();
  const backendPicker = new WeightedRoundRobin();
  const endpointPickers = new Map<string, RoundRobin>();
  let routing: Routing | undefined;
  let inFlight = 0;
  let stopped = false;
  let budget = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const refresh = async () => {
    try {
      routing = await resolveRouting(http, options.namespace, options.service, readPodPorts(options.stateDir));
    } catch {
      // Keep the last routing while the API is briefly unavailable.
    }
  };
  await refresh();
  const refreshTimer = setInterval(() => void refresh(), options.refreshMs ?? 1_000);

  const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  const record = (backend: string, endpoint: LocalEndpoint | undefined, status: string, version: string | undefined) => {
    stats.total++;
    count(stats.byBackend, backend);
    count(stats.byStatus, status);
    count(stats.byReplicaSet, endpoint?.replicaset ?? 'none');
    count(stats.byVersion, version ?? 'unknown');
    if (!/^2\d\d$/.test(status)) stats.failures++;
  };

  const sendOne = () => {
    const backends = (routing?.backends ?? []).map((b) => ({ ...b, key: b.service }));
    const backend = backendPicker.pick(backends);
    if (!backend) return record(options.service, undefined, 'no-route', undefined);
    let endpointPicker = endpointPickers.get(backend.service);
    if (!endpointPicker) endpointPickers.set(backend.service, (endpointPicker = new RoundRobin()));
    if (backend.endpoints.length === 0) return record(backend.service, undefined, 'no-endpoints', undefined);
    // A pod listed as ready before the node published its local port is like an endpoint
    // kube-proxy has not programmed yet: balance over the ones that are reachable.
    const endpoint = endpointPicker.pick(backend.endpoints.filter((e) => e.port !== undefined));
    if (endpoint?.port === undefined) return record(backend.service, undefined, 'no-local-port', undefined);
    const generation = stats;
    inFlight++;
    get(agent, endpoint.port, path, timeoutMs).then(({ status, version }) => {
      inFlight--;
      // Requests sent before a reset() don't count in the new window.
      if (generation === stats) record(backend.service, endpoint, status, version);
    });
  };

  const started = Date.now();
  let last = started;
  const tickTimer = setInterval(() => {
    const now = Date.now();
    if (now - started >= (options.maxDurationMs ?? 15 * 60_000)) return void stop();
    budget += ((now - last) / 1000) * options.ratePerSecond;
    last = now;
    while (budget >= 1) {
      budget--;
      if (inFlight >= maxInFlight) stats.skipped++;
      else sendOne();
    }
  }, TICK_MS);

  async function stop(): Promise<void> {
    if (stopped) return done;
    stopped = true;
    clearInterval(tickTimer);
    clearInterval(refreshTimer);
    const deadline = Date.now() + timeoutMs + 1_000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    agent.destroy();
    http.close();
    resolveDone();
  }

  return {
    stats: () => ({
      ...structuredClone(stats),
      ...(routing
        ? {
            routing: {
              source: routing.source,
              weights: Object.fromEntries(routing.backends.map((b) => [b.service, b.weight])),
              readyEndpoints: Object.fromEntries(routing.backends.map((b) => [b.service, b.endpoints.length])),
            },
          }
        : {}),
    }),
    reset: () => {
      stats = emptyStats();
    },
    stop,
    done,
  };
}

function emptyStats(): TrafficStats {
  return { total: 0, failures: 0, skipped: 0, byReplicaSet: {}, byVersion: {}, byStatus: {}, byBackend: {} };
}

function loadKubeConfig(path: string | undefined): KubeConfig {
  if (!path) throw new Error('startTraffic needs kubeconfigPath or kubeConfig');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** One GET to a pod's loopback port; never rejects (network errors become status "error"). */
function get(agent: Agent, port: number, path: string, timeoutMs: number, retried = false): Promise<{ status: string; version?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => resolve({ status: 'error' }));
      res.on('end', () => {
        let version: string | undefined;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { version?: unknown };
          if (typeof body.version === 'string') version = body.version;
        } catch {
          // Not JSON: count the status only.
        }
        resolve({ status: String(res.statusCode ?? 0), ...(version ? { version } : {}) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed just as we reused it: retry the GET once on a fresh
      // socket, as any HTTP client does; the pod did nothing wrong.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(get(agent, port, path, timeoutMs, true));
      else resolve({ status: 'error' });
    });
    req.end();
  });
}
