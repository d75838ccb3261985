import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The dashboard (issue 7): built into dist/web, which the API process serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // test/e2e/bundle-size.test.ts measures the gzipped entry itself; skip vite's own pass.
    reportCompressedSize: false,
    rollupOptions: {
      // TanStack Query's "use client" lines are for React server components, which this app has none of.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
