// @ts-check
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

/** The web console: a Preact single-page app the gateway serves at /console (see docs/console.md). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [preact()],
  logLevel: 'warn',
  build: { outDir: resolve(import.meta.dirname, '../../dist/console'), emptyOutDir: true },
});
