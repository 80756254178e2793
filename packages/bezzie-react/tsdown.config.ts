import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  // Every export runs on the client (hooks, context); React Server Components need the marker on
  // the bundle itself because bundling drops per-module directives.
  banner: { js: "'use client';" },
})
