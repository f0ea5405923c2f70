import { z } from 'zod';

/** The zod shape of a `SavedObject` in a provider's persisted state. */
export const savedObjectSchema = z.object({
  ref: z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string() }),
  original: z.object({ spec: z.json() }).nullable(),
});
