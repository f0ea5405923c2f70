import { describe, expect, it } from 'vitest';
import { newSlot, type ContainerSlot } from './container-slot.js';
import { podPhase, podStatus } from './pod-status.js';

const slot = (patch: Partial<ContainerSlot>): ContainerSlot => ({ ...newSlot({ name: 'c', image: 'x' }), ...patch });
const terminated = (exitCode: number) => ({ terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: 'now' } });

describe('podPhase', () => {
  it('is Pending until a container started, then Running, also while crash-looping', () => {
    expect(podPhase([slot({})], 'Always')).toBe('Pending');
    expect(podPhase([slot({ state: { running: { startedAt: 't' } } })], 'Always')).toBe('Running');
    expect(podPhase([slot({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: terminated(1) })], 'Always')).toBe('Running');
  });

  it('ends Succeeded or Failed when containers are done and not restarted', () => {
    expect(podPhase([slot({ state: terminated(0) })], 'Never')).toBe('Succeeded');
    expect(podPhase([slot({ state: terminated(0) }), slot({ state: terminated(2) })], 'OnFailure')).toBe('Failed');
    expect(podPhase([slot({ state: terminated(0) }), slot({ state: { running: { startedAt: 't' } } })], 'Never')).toBe('Running');
  });
});

describe('podStatus', () => {
  it('reports Ready only when every container is ready, and keeps transition times stable', () => {
    const transitions = new Map<string, { status: string; at: string }>();
    const slots = [slot({ ready: true, started: true, state: { running: { startedAt: 't' } } }), slot({ ready: false })];
    const input = { hostIP: '127.0.0.1', podIP: '10.244.0.2', startTime: 't0', restartPolicy: 'Always' as const, slots, transitions };
    const first = podStatus(input) as { conditions: { type: string; status: string; lastTransitionTime: string }[] };
    expect(first.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    const readyAt = first.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime;
    expect(podStatus(input)).toEqual(first);
    slots[1]!.ready = true;
    const second = podStatus(input) as typeof first & { containerStatuses: { started: boolean }[] };
    expect(second.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(second.conditions.find((c) => c.type === 'Initialized')?.lastTransitionTime).toBe(first.conditions[0]?.lastTransitionTime);
    expect(readyAt).toBeDefined();
    expect(second.containerStatuses.map((c) => c.started)).toEqual([true, false]);
  });
});
