import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.js';
import type { EventPayload } from '../api/types.js';
import { SseParser } from '../logic/sse-parser.js';

export type StreamState = 'connecting' | 'live' | 'ended' | 'reconnecting';

/**
 * A deployment's event log over server-sent events, read with fetch (EventSource cannot
 * send the bearer token). Replays from the start, streams live, resumes after a drop with
 * Last-Event-ID, and stops once the deployment completed.
 */
export function useDeploymentStream(api: ApiClient, id: string): { events: EventPayload[]; state: StreamState } {
  const [events, setEvents] = useState<EventPayload[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const lastSeq = useRef(0);

  useEffect(() => {
    const abort = new AbortController();
    lastSeq.current = 0;
    setEvents([]);
    let completed = false;
    const run = async () => {
      let attempt = 0;
      while (!abort.signal.aborted && !completed) {
        try {
          const headers: Record<string, string> = lastSeq.current > 0 ? { 'last-event-id': String(lastSeq.current) } : {};
          const response = await api.stream(`/api/v1/deployments/${encodeURIComponent(id)}/events/stream`, { signal: abort.signal, headers });
          if (!response.body) throw new Error('no stream body');
          setState('live');
          attempt = 0;
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const fresh: EventPayload[] = [];
            for (const message of parser.push(value)) {
              const event = JSON.parse(message.data) as EventPayload;
              if (event.seq <= lastSeq.current) continue;
              lastSeq.current = event.seq;
              fresh.push(event);
              if (event.type === 'deployment.completed') completed = true;
            }
            if (fresh.length > 0) setEvents((current) => [...current, ...fresh]);
          }
        } catch (error) {
          if (abort.signal.aborted) return;
          if ((error as { status?: number }).status && [401, 403, 404].includes((error as { status: number }).status)) {
            setState('ended');
            return;
          }
        }
        if (completed) break;
        setState('reconnecting');
        attempt += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt)));
      }
      if (!abort.signal.aborted) setState('ended');
    };
    void run();
    return () => abort.abort();
  }, [api, id]);

  return { events, state };
}
