import { createEngine, type FerryEngine, type FerryPluginV1 } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { canary, mannWhitneyJudgePlugin, thresholdJudgePlugin } from '@ferry/strategies';
import { kubernetes } from '../../kubernetes/plugin.js';
import { prometheus } from '../../metrics/prometheus/plugin.js';

export interface JudgeEngineOptions {
  kubeconfigPath: string;
  prometheusUrl: string;
  mannWhitney?: Parameters<typeof mannWhitneyJudgePlugin>[0];
  plugins?: FerryPluginV1[];
}

/** An engine as a user embeds it: canary, both judges, the kubeconfig connector and the cluster's real Prometheus as `prom`. */
export function judgeEngine(options: JudgeEngineOptions): FerryEngine {
  return createEngine({
    store: new MemoryStore(),
    pollIntervalMs: 500,
    plugins: [
      canary({ pollIntervalMs: 500 }),
      thresholdJudgePlugin(),
      mannWhitneyJudgePlugin(options.mannWhitney ?? {}),
      kubernetes({ kubeconfigPath: options.kubeconfigPath }),
      prometheus({ name: 'prom', url: options.prometheusUrl, timeoutMs: 10_000 }),
      ...(options.plugins ?? []),
    ],
  });
}
