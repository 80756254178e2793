import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // @bezzie/contract (the wire contract shared with bezzie) is a private workspace package: emitted
  // into dist/contract/, declarations included. It lives outside this tsconfig's files, so the
  // declaration build has to load the whole program up front.
  dts: { tsc: { eager: true } },
  // One output module per source module keeps each module's 'use client' directive where it is
  // written: hooks and components are client references in React Server Components, while
  // userQueryOptions, loginUrl and the types stay importable from server code.
  unbundle: true,
  // Rolldown warns that bundling may drop directives; unbundled, each one stays on its own module
  // (test/build.test.ts checks the output).
  checks: { moduleLevelDirective: false },
})
