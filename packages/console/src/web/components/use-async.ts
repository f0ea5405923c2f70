import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/client.js';

/** Loads once (and again on `reload` or when `deps` change); keeps the last value while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { value?: T; error?: string; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ value?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => !cancelled && setState({ value, loading: false }),
      (error: unknown) => !cancelled && setState((s) => ({ ...s, error: messageOf(error), loading: false })),
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Re-renders every `ms` (relative times like "12 s ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
