import { createEngine, type FerryEngine, type FerryPluginV1, type StoreV1 } from '@ferry/core';
import { kubernetes } from '@ferry/integrations/kubernetes';
import { createSqliteStore } from '@ferry/store-sql';
import { blueGreen, canary, thresholdJudgePlugin } from '@ferry/strategies';
import { createSpinnakerEndpoint } from './server.js';

export interface StartSpinnakerEndpointOptions {
  token: string;
  /** Kube contexts are the deployment files' `account`s. */
  kubeconfigPath?: string;
  /** Default: a SQLite file `spinnaker-endpoint.db` in the working directory. */
  store?: StoreV1;
  /** More plugins: metric providers, traffic providers, webhooks... */
  plugins?: FerryPluginV1[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  publicUrl?: string;
  pollIntervalMs?: number;
}

export interface RunningSpinnakerEndpoint {
  url: string;
  engine: FerryEngine;
  close(): Promise<void>;
}

/** An engine (canary, blue/green, threshold judge, kube contexts) behind the endpoint, listening. */
export async function startSpinnakerEndpoint(options: StartSpinnakerEndpointOptions): Promise<RunningSpinnakerEndpoint> {
  const own = options.store ? undefined : await createSqliteStore({ path: 'spinnaker-endpoint.db' });
  const store: StoreV1 = options.store ?? (own as StoreV1);
  const engine = createEngine({
    store,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    plugins: [
      canary(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      blueGreen(),
      thresholdJudgePlugin(),
      kubernetes(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
      ...(options.plugins ?? []),
    ],
  });
  const app = createSpinnakerEndpoint({ engine, token: options.token, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) });
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    url,
    engine,
    async close() {
      await app.close();
      await engine.close();
      await own?.destroy();
    },
  };
}
