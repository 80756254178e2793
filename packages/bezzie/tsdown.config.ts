import { defineConfig, type UserConfig } from 'tsdown'
import { workersPlatform } from './workers-platform.ts'

const entry = {
  index: 'src/index.ts',
  cloudflare: 'src/cloudflare.ts',
  memory: 'src/memory.ts',
  redis: 'src/redis.ts',
  'durable-object': 'src/durable-object.ts',
}

const common: UserConfig = {
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  outExtensions: () => ({ js: '.js', dts: '.d.ts' }),
  // Provided by the Workers runtime to the Durable Object class.
  deps: { neverBundle: ['cloudflare:workers'] },
}

// Two builds, one output per subpath export of package.json each (without this file tsdown builds
// only src/index.ts to index.mjs and every `bezzie/*` import fails to resolve):
// - dist/<name>.js (+ `.d.ts`): Node and everything else (`default`);
// - dist/workers/<name>.js: the `workerd` / `worker` conditions (wrangler's bundler), built with
//   src/platform/crypto.workers.ts for src/platform/crypto.ts, so without the Node fast path
//   (node:crypto), which never runs in workerd. Both builds share the declarations in dist/.
export default defineConfig([
  {
    ...common,
    entry,
    // @bezzie/contract (the wire contract shared with bezzie-react) is a private workspace
    // package: bundled into dist, its declarations included. It lives outside this tsconfig's
    // files, so the declaration build has to load the whole program up front.
    dts: { tsc: { eager: true } },
  },
  {
    ...common,
    entry,
    outDir: 'dist/workers',
    dts: false,
    plugins: [workersPlatform],
  },
])
