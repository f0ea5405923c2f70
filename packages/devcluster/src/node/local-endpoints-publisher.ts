import { kubeTime } from './kube-types.js';
import { type PodWorker } from './pod-worker.js';
import {
  podPortsFile,
  prometheusTargetsFile,
  writeJsonAtomic,
  type PodPorts,
  type PodPortsFile,
  type TargetGroup,
} from './state-files.js';
import { owningReplicaSet, targetLabels } from './target-labels.js';

/**
 * Publishes where each running pod really listens: pods.json (for the traffic generator) and the
 * Prometheus file_sd targets. Writes are coalesced, so a burst of pod changes costs one write.
 */
export class LocalEndpointsPublisher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly workers: () => Iterable<PodWorker>,
    private readonly debounceMs = 100,
  ) {}

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.writeNow();
    }, this.debounceMs);
  }

  writeNow(): void {
    const pods: Record<string, PodPorts> = {};
    const targets: TargetGroup[] = [];
    for (const worker of this.workers()) {
      if (worker.isTerminating) continue;
      const ports = worker.localPorts();
      const replicaset = owningReplicaSet(worker.pod);
      pods[worker.key] = {
        namespace: worker.pod.metadata.namespace ?? 'default',
        name: worker.pod.metadata.name,
        uid: worker.uid,
        podIP: worker.podIP,
        ready: worker.ready(),
        ...(replicaset ? { replicaset } : {}),
        ports,
      };
      for (const slot of worker.slots) {
        const local = slot.driver?.localPort;
        if (local === undefined || !('running' in slot.state)) continue;
        targets.push({ targets: [`127.0.0.1:${local}`], labels: targetLabels(worker.pod, slot.spec.name) });
      }
    }
    const file: PodPortsFile = { updatedAt: kubeTime(), pods };
    writeJsonAtomic(podPortsFile(this.stateDir), file);
    writeJsonAtomic(prometheusTargetsFile(this.stateDir), targets);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
