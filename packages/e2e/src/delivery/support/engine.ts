import { createEngine, parseDeployFile, type DeployFile, type EngineEventV1, type FerryEngine, type StoreV1 } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import { kubernetes } from '@ferry/integrations/kubernetes';
import { blueGreen, canary, thresholdJudgePlugin } from '@ferry/strategies';
import { sampleAppFile, type SampleAppFile } from './deploy-file.js';

/** An engine with the real strategies and the kubeconfig connector for the dev cluster; polls readiness every 500 ms. */
export function clusterEngine(ns: TestNamespace, store: StoreV1 = new MemoryStore()): FerryEngine {
  return createEngine({
    store,
    plugins: [canary({ pollIntervalMs: 500 }), blueGreen({ pollIntervalMs: 500 }), thresholdJudgePlugin(), kubernetes({ kubeconfigPath: ns.kubeconfigPath })],
  });
}

/** The sample app's deployment file for this namespace. */
export function fileFor(ns: TestNamespace, options: Omit<SampleAppFile, 'context' | 'namespace'>): Promise<DeployFile> {
  return parseDeployFile(sampleAppFile({ ...options, context: ns.kubeConfig.getCurrentContext(), namespace: ns.name }));
}

/** Step kinds by step id, learnt from `step.started` events. */
export function stepKinds(engine: FerryEngine): Map<string, string> {
  const kinds = new Map<string, string>();
  engine.events.on('step.started', (event: EngineEventV1) => {
    if (event.stepId && typeof event.data.kind === 'string') kinds.set(event.stepId, event.data.kind);
  });
  return kinds;
}
