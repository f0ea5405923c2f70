import { describe, expect, it } from 'vitest';
import { IMMEDIATE_EXIT_MS, imageNeverPulls, simulatedBehaviour } from './simulated-behaviour.js';

describe('simulated container conventions', () => {
  it('runs forever without a recognised command', () => {
    expect(simulatedBehaviour(undefined, undefined)).toEqual({ exitCode: 0 });
    expect(simulatedBehaviour(['nginx', '-g', 'daemon off;'], undefined)).toEqual({ exitCode: 0 });
    expect(simulatedBehaviour(['sleep', 'infinity'], undefined)).toEqual({ exitCode: 0 });
  });

  it('reads exit, sleep and sleep-then-exit', () => {
    expect(simulatedBehaviour(['sh', '-c', 'exit 3'], undefined)).toEqual({ runForMs: IMMEDIATE_EXIT_MS, exitCode: 3 });
    expect(simulatedBehaviour(['sleep'], ['2.5'])).toEqual({ runForMs: 2500, exitCode: 0 });
    expect(simulatedBehaviour(['sh', '-c', 'sleep 5; exit 1'], undefined)).toEqual({ runForMs: 5000, exitCode: 1 });
    expect(simulatedBehaviour(['sh', '-c'], ['sleep 1 && exit 0'])).toEqual({ runForMs: 1000, exitCode: 0 });
  });

  it('knows which images never pull', () => {
    expect(imageNeverPulls('nginx:does-not-exist')).toBe(true);
    expect(imageNeverPulls('ferry/other:missing')).toBe(true);
    expect(imageNeverPulls('nginx:1.25')).toBe(false);
  });
});
