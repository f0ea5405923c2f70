import { FerryUnavailableError } from '@ferry/core';
import type { HubClient } from '../hub-client/hub-client.js';
import { collectForHub } from './deploy-file-input.js';
import type { Backend, DeploymentAction, DeploymentSummaryView, DeploymentView, EventView, ListFilter, StartInput } from './types.js';

/** How often a broken event stream is reopened before giving up. */
const STREAM_RETRIES = 5;

/** Hub mode: every verb is a call to the hub's REST API. */
export function hubBackend(client: HubClient): Backend {
  const path = (id: string, rest = '') => `api/v1/deployments/${encodeURIComponent(id)}${rest}`;
  return {
    mode: 'hub',
    async start(input: StartInput) {
      const { deployFile, manifests } = await collectForHub(input.file, input.targets);
      const started = await client.json<{ id: string; link: string }>('POST', 'api/v1/deployments', { deployFile, manifests, context: input.context });
      return { id: started.id, link: started.link };
    },
    status: (id) => client.json<DeploymentView>('GET', path(id)),
    async list(filter: ListFilter) {
      const query = new URLSearchParams({ limit: String(filter.limit) });
      if (filter.application) query.set('application', filter.application);
      if (filter.status) query.set('status', filter.status);
      if (filter.target) query.set('target', filter.target);
      const answer = await client.json<{ deployments: DeploymentSummaryView[] }>('GET', `api/v1/deployments?${query.toString()}`);
      return answer.deployments;
    },
    async follow(id: string, afterSeq: number, onEvent: (event: EventView) => void, signal: AbortSignal) {
      let last = afterSeq;
      let failures = 0;
      while (!signal.aborted) {
        try {
          const result = await client.events(path(id, `/events/stream?afterSeq=${last}`), last, (data) => {
            const event = data as EventView;
            if (typeof event.seq !== 'number' || event.seq <= last) return false;
            last = event.seq;
            onEvent(event);
            return event.type === 'deployment.completed';
          }, signal);
          last = Math.max(last, result.lastEventId);
          if (result.ended || signal.aborted) return;
          // The hub closed the stream without the end: it ends after completion, so check.
          const status = await client.json<DeploymentView>('GET', path(id));
          if (status.completedAtIso && (await client.json<{ events: EventView[] }>('GET', path(id, `/events?afterSeq=${last}`))).events.length === 0) return;
        } catch (error) {
          if (signal.aborted) return;
          if (!(error instanceof FerryUnavailableError) || ++failures > STREAM_RETRIES) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * failures));
        }
      }
    },
    async act(id: string, action: DeploymentAction, input: { target?: string; comment?: string }) {
      const body = {
        ...(input.target !== undefined && action !== 'cancel' ? { target: input.target } : {}),
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
      };
      await client.json('POST', path(id, `/${action}`), body);
    },
    async redeploy(id) {
      const started = await client.json<{ id: string; link: string }>('POST', path(id, '/redeploy'), {});
      return { id: started.id, link: started.link };
    },
    async close() {
      // Nothing held open: every request is its own connection.
    },
  };
}
