/** What the global setup hands to tests through vitest's provide/inject. */
export interface ProvidedDevcluster {
  name: string;
  dir: string;
  kubeconfigPath: string;
  server: string;
  prometheusUrl?: string;
}

export const PROVIDE_KEY = 'ferryDevclusters';

declare module 'vitest' {
  export interface ProvidedContext {
    ferryDevclusters: ProvidedDevcluster[];
  }
}
