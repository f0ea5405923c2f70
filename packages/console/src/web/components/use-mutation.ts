import { useState } from 'react';
import { messageOf } from '../api/client.js';

/** Runs a write (form submit, row button) with a busy flag; a failure is reported as a readable message, never thrown. */
export function useMutation(onError: (message: string) => void): { busy: boolean; run: (action: () => Promise<unknown>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } catch (e) {
      onError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
