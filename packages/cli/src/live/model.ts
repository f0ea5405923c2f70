import type { DeploymentView, EventView, PodsByVersion } from '../backend/types.js';

/** One query's latest measurement against its limits. */
export interface AnalysisValue {
  query: string;
  value: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  /** The judge's word on this query: pass, fail, noData... */
  result: string;
  run: number;
}

/** Everything the live view draws: the status payload plus what events and the cluster add. */
export interface LiveState {
  view: DeploymentView;
  /** Latest analysis values per environment, by query. */
  analysis: Record<string, Record<string, AnalysisValue>>;
  /** Pods per version per environment (local mode reads them from the cluster). */
  pods: Record<string, PodsByVersion[]>;
  /** The last event, for the "last:" line. */
  lastEvent?: EventView;
}

export function initialLiveState(view: DeploymentView): LiveState {
  return { view, analysis: {}, pods: {} };
}

/** Folds an event into the state (the status payload is refreshed separately). */
export function applyEvent(state: LiveState, event: EventView): LiveState {
  const next: LiveState = { ...state, lastEvent: event };
  if (event.type === 'analysis.measured' && event.target) {
    const data = event.data;
    const query = String(data.query ?? '?');
    next.analysis = {
      ...state.analysis,
      [event.target]: {
        ...state.analysis[event.target],
        [query]: {
          query,
          value: typeof data.value === 'number' ? data.value : null,
          lowerLimit: typeof data.lowerLimit === 'number' ? data.lowerLimit : null,
          upperLimit: typeof data.upperLimit === 'number' ? data.upperLimit : null,
          result: String(data.result ?? data.verdict ?? ''),
          run: typeof data.run === 'number' ? data.run : 1,
        },
      },
    };
  }
  return next;
}
