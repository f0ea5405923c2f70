import { useState } from 'react';
import { useSession } from './session.js';
import { useAsync } from './use-async.js';

/**
 * One configuration list (`GET path` answering `{ [field]: T[] }`) plus the last row action's error,
 * so a page shows load and write failures in one place. Not `readable`: nothing is fetched and the list is empty.
 */
export interface ResourceList<T> {
  items: T[];
  error?: string;
  reload: () => void;
  /** Shows a row action's failure under the form (until the next one). */
  reportError: (message: string) => void;
}

export function useResourceList<T>(path: string, field: string, readable = true): ResourceList<T> {
  const { api } = useSession();
  const list = useAsync(async () => (readable ? ((await api.get<Record<string, T[] | undefined>>(path))[field] ?? []) : []), [api, path, field, readable]);
  const [actionError, setActionError] = useState<string | undefined>();
  const error = list.error ?? actionError;
  return { items: list.value ?? [], ...(error !== undefined ? { error } : {}), reload: list.reload, reportError: setActionError };
}
