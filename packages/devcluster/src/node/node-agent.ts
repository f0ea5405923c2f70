import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, makeInformer, type Informer, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { profileEnvForImage, sampleAppTag } from '@ferry/sample-app';
import { containerEnv } from './container-env.js';
import { type ContainerDriver } from './container-driver.js';
import { IpAllocator, podIpPrefixForCluster } from './ip-allocator.js';
import { KubeHttp } from './kube-http.js';
import { type ContainerSpec, type Pod } from './kube-types.js';
import { createLimiter } from './limiter.js';
import { LocalEndpointsPublisher } from './local-endpoints-publisher.js';
import { NodeRegistration } from './node-registration.js';
import { PodBinder } from './pod-binder.js';
import { neverPullsError, PodWorker } from './pod-worker.js';
import { ProcessContainer } from './process-container.js';
import { SimulatedContainer } from './simulated-container.js';
import { nodeStateDir } from './state-files.js';
import { StatusWriter } from './status-writer.js';

export interface NodeAgentConfig {
  clusterName: string;
  kubeconfigPath: string;
  stateDir: string;
  nodeName: string;
  /** examples/sample-app/dist/server.js, run for every `ferry/sample-app:*` container. */
  sampleAppServer: string;
  maxPods: number;
  crashLoopBaseMs: number;
  heartbeatMs: number;
}

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/** The simulated kubelet + scheduler: everything the node's child process runs. */
export class NodeAgent {
  private readonly workers = new Map<string, PodWorker>();
  private readonly ips: IpAllocator;
  private readonly publisher: LocalEndpointsPublisher;
  private readonly startLimiter = createLimiter(8);
  private readonly containerLogs: string;
  private http!: KubeHttp;
  private statusWriter!: StatusWriter;
  private binder!: PodBinder;
  private registration!: NodeRegistration;
  private informer: Informer<KubernetesObject> | undefined;
  private stopped = false;

  constructor(
    private readonly config: NodeAgentConfig,
    private readonly log: Log,
  ) {
    this.ips = new IpAllocator(podIpPrefixForCluster(config.clusterName));
    this.publisher = new LocalEndpointsPublisher(config.stateDir, () => this.workers.values());
    this.containerLogs = join(nodeStateDir(config.stateDir), 'containers');
    mkdirSync(this.containerLogs, { recursive: true });
  }

  async start(): Promise<void> {
    const kc = new KubeConfig();
    kc.loadFromFile(this.config.kubeconfigPath);
    this.http = await KubeHttp.fromKubeConfig(kc, { maxSockets: 24 });
    this.statusWriter = new StatusWriter(this.http, 8, this.log);
    this.binder = new PodBinder(this.http, this.config.nodeName, 8, this.log);
    const prefix = podIpPrefixForCluster(this.config.clusterName);
    this.registration = new NodeRegistration(
      this.http,
      { nodeName: this.config.nodeName, podCIDR: `${prefix}.0.0/16`, maxPods: this.config.maxPods },
      this.log,
    );
    await this.registration.register();
    this.registration.start(this.config.heartbeatMs);
    this.publisher.writeNow();

    const informer = makeInformer<KubernetesObject>(kc, '/api/v1/pods', () =>
      this.http.get<KubernetesListObject<KubernetesObject>>('/api/v1/pods'),
    );
    informer.on('add', (pod) => this.onPod(pod as unknown as Pod));
    informer.on('update', (pod) => this.onPod(pod as unknown as Pod));
    informer.on('delete', (pod) => this.onPodGone(pod as unknown as Pod));
    informer.on('error', (error) => {
      if (this.stopped) return;
      this.log('pod watch failed; restarting', { error: String(error) });
      setTimeout(() => void informer.start().catch(() => undefined), 1_000);
    });
    this.informer = informer;
    await informer.start();
    this.log('node ready', { node: this.config.nodeName });
  }

  /** Stops all pods' processes and the heartbeat; pod objects stay in the API, as with a dead kubelet. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer?.stop();
    this.registration?.stop();
    this.binder?.stop();
    this.statusWriter?.stop();
    await Promise.all([...this.workers.values()].map((worker) => worker.terminate(false)));
    this.publisher.stop();
    this.publisher.writeNow();
    this.http?.close();
  }

  stats(): { pods: number; statusWrites: number; bound: number } {
    return { pods: this.workers.size, statusWrites: this.statusWriter.writes, bound: this.binder.bound };
  }

  private onPod(pod: Pod): void {
    if (this.stopped) return;
    if (PodBinder.wants(pod)) {
      this.binder.enqueue(pod);
      return;
    }
    if (pod.spec.nodeName !== this.config.nodeName) return;
    const uid = pod.metadata.uid ?? '';
    const existing = this.workers.get(uid);
    if (existing) {
      existing.update(pod);
      return;
    }
    const worker = this.newWorker(pod);
    this.workers.set(uid, worker);
    if (pod.metadata.deletionTimestamp) void worker.terminate(true);
    else worker.start();
  }

  private onPodGone(pod: Pod): void {
    const worker = this.workers.get(pod.metadata.uid ?? '');
    if (worker) void worker.terminate(false);
  }

  private newWorker(pod: Pod): PodWorker {
    const uid = pod.metadata.uid ?? '';
    const podIP = this.ips.allocate(uid);
    return new PodWorker(pod, {
      http: this.http,
      hostIP: '127.0.0.1',
      podIP,
      createDriver: (p, container) => this.createDriver(p, container, podIP),
      startLimiter: this.startLimiter,
      changed: (w) => {
        this.statusWriter.mark(w.key, {
          namespace: w.pod.metadata.namespace ?? 'default',
          name: w.pod.metadata.name,
          uid: w.uid,
          status: () => w.status(),
        });
        this.publisher.schedule();
      },
      finished: (w) => {
        if (this.workers.get(w.uid) === w) this.workers.delete(w.uid);
        this.statusWriter.forget(w.key);
        this.ips.release(w.uid);
        this.publisher.schedule();
      },
      log: this.log,
      crashLoopBaseMs: this.config.crashLoopBaseMs,
      crashLoopMaxMs: 300_000,
      maxTerminationGraceMs: 5_000,
    });
  }

  private createDriver(pod: Pod, container: ContainerSpec, podIP: string): ContainerDriver | { pullError: string } {
    const pullError = neverPullsError(container.image);
    if (pullError) return pullError;
    if (sampleAppTag(container.image) === undefined) return new SimulatedContainer(container);
    const imageEnv = profileEnvForImage(container.image);
    if (!imageEnv) {
      return { pullError: `rpc error: manifest for ${container.image} not found (known tags are in @ferry/sample-app imageProfiles)` };
    }
    const logFile = join(this.containerLogs, `${pod.metadata.namespace ?? 'default'}_${pod.metadata.name}_${container.name}.log`);
    return new ProcessContainer({
      script: this.config.sampleAppServer,
      env: containerEnv(pod, container, imageEnv, podIP, '127.0.0.1'),
      logFile,
    });
  }
}

