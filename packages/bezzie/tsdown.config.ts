import { defineConfig } from 'tsdown'

// One output per subpath export of package.json (`dist/<name>.js` + `.d.ts`); without this file
// tsdown builds only src/index.ts to index.mjs and every `bezzie/*` import fails to resolve.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cloudflare: 'src/cloudflare.ts',
    memory: 'src/memory.ts',
    redis: 'src/redis.ts',
    'durable-object': 'src/durable-object.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // @bezzie/contract (the wire contract shared with bezzie-react) is a private workspace package:
  // bundled into dist, its declarations included. It lives outside this tsconfig's files, so the
  // declaration build has to load the whole program up front.
  dts: { tsc: { eager: true } },
  outExtensions: () => ({ js: '.js', dts: '.d.ts' }),
  // Provided by the Workers runtime to the Durable Object class.
  deps: { neverBundle: ['cloudflare:workers'] },
})
