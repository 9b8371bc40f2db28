// Bundles src/ into dist/ with esbuild (ESM). The banner gives CommonJS dependencies
// (undici, @actions/core's helpers) a `require` for Node built-ins.
// Usage: node script/bundle.mjs [outdir]   (outdir defaults to dist; the dist check builds elsewhere)
import { build } from 'esbuild'

const outdir = process.argv[2] ?? 'dist'
await build({
  entryPoints: { index: 'src/action/index.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
})
