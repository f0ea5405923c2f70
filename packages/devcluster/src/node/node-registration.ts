import { isStatus, type KubeHttp } from './kube-http.js';
import { kubeMicroTime, kubeTime } from './kube-types.js';

export const DEFAULT_NODE_NAME = 'ferry-dev-node';
const LEASE_DURATION_SECONDS = 40;

export interface NodeRegistrationOptions {
  nodeName: string;
  podCIDR: string;
  maxPods: number;
}

/**
 * Registers the Node object and keeps it alive the way a kubelet does: Ready condition and Lease
 * renewed every `heartbeatMs`, well inside the node-lifecycle controller's 40 s grace period.
 */
export class NodeRegistration {
  private timer: NodeJS.Timeout | undefined;
  private readonly since = kubeTime();

  constructor(
    private readonly http: KubeHttp,
    private readonly options: NodeRegistrationOptions,
    private readonly log: (msg: string, fields?: Record<string, unknown>) => void,
  ) {}

  async register(): Promise<void> {
    const { nodeName, podCIDR } = this.options;
    try {
      await this.http.post('/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: nodeName,
          labels: {
            'kubernetes.io/hostname': nodeName,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'beta.kubernetes.io/arch': 'amd64',
            'ferry.dev/simulated-node': 'true',
          },
        },
        spec: { podCIDR, podCIDRs: [podCIDR] },
      });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
    await this.heartbeat();
  }

  start(heartbeatMs: number): void {
    const tick = () => {
      this.heartbeat()
        .catch((error: unknown) => this.log('node heartbeat failed', { error: String(error) }))
        .finally(() => {
          this.timer = setTimeout(tick, heartbeatMs);
        });
    };
    this.timer = setTimeout(tick, heartbeatMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async heartbeat(): Promise<void> {
    await Promise.all([this.patchStatus(), this.renewLease()]);
  }

  private async patchStatus(): Promise<void> {
    const now = kubeTime();
    const resources = { cpu: '64', memory: '256Gi', pods: String(this.options.maxPods), 'ephemeral-storage': '500Gi' };
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: this.since,
    });
    await this.http.patch(`/api/v1/nodes/${this.options.nodeName}/status`, {
      status: {
        capacity: resources,
        allocatable: resources,
        conditions: [
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          condition('Ready', 'True', 'KubeletReady', 'Ferry simulated node is posting ready status'),
        ],
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: this.options.nodeName },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
        nodeInfo: {
          machineID: 'ferry-dev',
          systemUUID: 'ferry-dev',
          bootID: 'ferry-dev',
          kernelVersion: 'simulated',
          osImage: 'Ferry simulated node',
          containerRuntimeVersion: 'ferry-devcluster://1',
          kubeletVersion: 'v1.20.2',
          kubeProxyVersion: 'v1.20.2',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
  }

  private async renewLease(): Promise<void> {
    const { nodeName } = this.options;
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`;
    const spec = { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: kubeMicroTime() };
    try {
      await this.http.patch(path, { spec });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
      const node = await this.http.get<{ metadata: { uid: string } }>(`/api/v1/nodes/${nodeName}`);
      await this.http.post('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: nodeName,
          namespace: 'kube-node-lease',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }],
        },
        spec,
      });
    }
  }
}
