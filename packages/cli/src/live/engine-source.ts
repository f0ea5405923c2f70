import type { EngineEventV1, FerryEngine } from '@ferry/core';
import { deploymentView, eventView } from '../backend/status-view.js';
import type { Backend, EnvironmentView, EventView, PodsByVersion } from '../backend/types.js';

export type LiveSource = Pick<Backend, 'status' | 'follow'> & Partial<Pick<Backend, 'pods'>>;

/**
 * A live-view source for an engine embedded in the same process (the demo, a custom
 * platform): reads the store once, then takes events straight from the engine's emitter.
 */
export function engineSource(engine: FerryEngine, options: { pods?: (environment: EnvironmentView, application: string) => Promise<PodsByVersion[]> } = {}): LiveSource {
  return {
    status: async (id) => deploymentView(await engine.get(id)),
    follow(id: string, afterSeq: number, onEvent: (event: EventView) => void, signal: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        let seen = afterSeq;
        let done = false;
        const pending: EngineEventV1[] = [];
        let replaying = true;
        const finish = () => {
          if (done) return;
          done = true;
          engine.events.off('*', onLive);
          signal.removeEventListener('abort', finish);
          resolve();
        };
        const deliver = (event: EngineEventV1) => {
          if (done || event.seq <= seen) return;
          seen = event.seq;
          onEvent(eventView(event));
          if (event.type === 'deployment.completed') finish();
        };
        function onLive(event: EngineEventV1) {
          if (event.deploymentId !== id) return;
          if (replaying) pending.push(event);
          else deliver(event);
        }
        // Subscribe first, then replay the log, so nothing falls between the two.
        engine.events.on('*', onLive);
        signal.addEventListener('abort', finish, { once: true });
        (async () => {
          for (;;) {
            const page = await engine.listEvents(id, { afterSeq: seen, limit: 500 });
            page.forEach(deliver);
            if (page.length < 500 || done) break;
          }
          replaying = false;
          pending.splice(0).sort((a, b) => a.seq - b.seq).forEach(deliver);
        })().catch((error: unknown) => {
          engine.events.off('*', onLive);
          reject(error as Error);
        });
      });
    },
    ...(options.pods ? { pods: options.pods } : {}),
  };
}
