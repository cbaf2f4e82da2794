import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's build: `npm run build` runs `vite build -c apps/console/vite.config.ts`, which
 * writes dist/console (served at /console by the trust server). Preact's JSX through esbuild, no
 * plugin. No inline script or style in the output (the server's CSP allows neither), no source
 * maps shipped, asset names hashed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Never inline assets as data: URLs into scripts; keep everything a same-origin file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
