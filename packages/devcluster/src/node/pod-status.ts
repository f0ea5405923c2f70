import { type ContainerSlot } from './container-slot.js';
import { kubeTime } from './kube-types.js';

export interface PodStatusInput {
  hostIP: string;
  podIP: string;
  startTime: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  slots: ContainerSlot[];
  /** When each condition last changed, kept by the caller across calls. */
  transitions: Map<string, { status: string; at: string }>;
}

/** The pod status a kubelet would report for these containers. */
export function podStatus(input: PodStatusInput): Record<string, unknown> {
  const { slots } = input;
  const allReady = slots.length > 0 && slots.every((s) => s.ready);
  const condition = (type: string, ok: boolean) => {
    const status = ok ? 'True' : 'False';
    const previous = input.transitions.get(type);
    if (!previous || previous.status !== status) input.transitions.set(type, { status, at: kubeTime() });
    const at = input.transitions.get(type)?.at;
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: at,
      ...(ok || type === 'Initialized' || type === 'PodScheduled' ? {} : { reason: 'ContainersNotReady', message: notReadyMessage(slots) }),
    };
  };
  return {
    phase: podPhase(slots, input.restartPolicy),
    hostIP: input.hostIP,
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: input.startTime,
    qosClass: 'BestEffort',
    conditions: [
      condition('Initialized', true),
      condition('Ready', allReady),
      condition('ContainersReady', allReady),
      condition('PodScheduled', true),
    ],
    containerStatuses: slots.map((slot) => ({
      name: slot.spec.name,
      image: slot.spec.image,
      imageID: `ferry-devcluster://${slot.spec.image}`,
      ...(slot.containerID ? { containerID: slot.containerID } : {}),
      ready: slot.ready,
      // Like the kubelet: started reflects the current run, so a container in back-off is not started.
      started: slot.started && 'running' in slot.state,
      restartCount: slot.restartCount,
      state: slot.state,
      lastState: slot.lastState ?? {},
    })),
  };
}

/** Pending until a container has started; Succeeded/Failed once every container ended for good. */
export function podPhase(slots: ContainerSlot[], restartPolicy: 'Always' | 'OnFailure' | 'Never'): string {
  const finished = slots.map((slot) => ('terminated' in slot.state ? slot.state.terminated.exitCode : undefined));
  if (restartPolicy !== 'Always' && slots.length > 0 && finished.every((code) => code !== undefined)) {
    return finished.every((code) => code === 0) ? 'Succeeded' : 'Failed';
  }
  const everStarted = slots.some((slot) => 'running' in slot.state || slot.lastState !== undefined);
  return everStarted ? 'Running' : 'Pending';
}

function notReadyMessage(slots: ContainerSlot[]): string {
  const names = slots.filter((s) => !s.ready).map((s) => s.spec.name);
  return `containers with unready status: [${names.join(' ')}]`;
}
