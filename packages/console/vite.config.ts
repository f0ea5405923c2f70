import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the hub under /console/: every asset URL is relative to it.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/console/',
  publicDir: false,
  // No React plugin: Vite's oxc compiles the JSX (no fast refresh needed for a static build).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
