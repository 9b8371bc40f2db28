// Bundles src/ into dist/ with esbuild (ESM): dist/index.js (the Action) and dist/cli.js (the
// CLI, executable, with a #!/usr/bin/env node line). The banner gives CommonJS dependencies
// (undici, @actions/core's helpers) a `require` for Node built-ins.
// The Action's build splits at dynamic imports: code that only some runs need (the GitHub API
// client for releases and the issue report) is a chunk file loaded when used, so a plain
// publish does not parse it at start-up.
// Usage: node script/bundle.mjs [outdir]   (outdir defaults to dist; the dist check builds elsewhere)
import { chmod, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

const outdir = process.argv[2] ?? 'dist'
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  legalComments: 'none',
  logLevel: 'warning'
}
// Chunk names carry a content hash: a chunk from an earlier build must not linger.
await rm(outdir, { recursive: true, force: true })
await build({
  ...common,
  entryPoints: { index: 'src/action/index.ts' },
  splitting: true,
  banner: { js: requireShim }
})
await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  banner: { js: `#!/usr/bin/env node\n${requireShim}` }
})
await chmod(join(outdir, 'cli.js'), 0o755)
