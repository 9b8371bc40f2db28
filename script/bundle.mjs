// Bundles src/ into dist/ with esbuild (ESM): dist/index.js (the Action), dist/cli.js (the CLI,
// executable, with a #!/usr/bin/env node line) and dist/chunks/: the code both share, and the
// modules a run loads only when it uses them (import(): the GitHub API client for releases and
// the issue report, blob copy, tag listing and discovery, verify mode, the job summary), so a
// plain publish does not parse them at start-up. Every file esbuild writes is committed, and nothing else
// (script/test checks). The banner gives CommonJS dependencies (undici) a `require` for Node
// built-ins. The plugins below keep what the Action never runs off its start-up path
// (README, Performance; __tests__/bundle.test.ts checks what is left).
// Usage: node script/bundle.mjs [outdir]   (outdir defaults to dist; the dist check builds elsewhere)
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const outdir = process.argv[2] ?? 'dist'
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

/**
 * @actions/core imports @actions/http-client (with its own copy of undici, ~0.9 MB bundled)
 * for one function only: getIDToken, the OIDC token request. This Action never asks for an
 * OIDC token, yet the import alone would put that client on the start-up path of every run.
 * The plugin gives @actions/core a stand-in without side effects instead; esbuild then drops
 * the OIDC code as unused, stand-in included. Should a future change call core.getIDToken,
 * the stand-in's constructor throws an error that says why, rather than failing obscurely.
 */
const withoutOidcClient = {
  name: 'without-oidc-client',
  setup(b) {
    // Only @actions/core's OIDC module: @actions/github (releases, loaded on demand) uses the
    // real client for its proxy settings.
    b.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/.test(args.importer)
        ? { path: args.path, namespace: 'without-oidc-client' }
        : undefined
    )
    b.onLoad({ filter: /.*/, namespace: 'without-oidc-client' }, () => ({
      loader: 'js',
      contents: `
const why = 'multiarch-index is bundled without @actions/http-client: core.getIDToken (OIDC) is not available (script/bundle.mjs)'
export class HttpClient { constructor() { throw new Error(why) } }
export class BearerCredentialHandler { constructor() { throw new Error(why) } }
`
    }))
  }
}

/**
 * undici's Client requires its HTTP/2 module when it is itself loaded, and that module loads
 * node:http2 (and with it node:tls) at once, only to read constants: the costliest Node
 * built-ins of the start-up (README, Performance). HTTP/2 is used only when a connection
 * negotiates it, and the Action's Agent never offers it (undici's allowH2 defaults to false).
 * The plugin makes Client require that module on the first HTTP/2 connection instead, the
 * same call with the same arguments. It fails the build when undici's line is not there
 * (after an undici upgrade), rather than bundle an unchanged start-up silently.
 */
const http2OnFirstUse = {
  name: 'undici-http2-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, async (args) => {
      const eager = "const connectH2 = require('./client-h2.js')"
      const source = await readFile(args.path, 'utf8')
      if (!source.includes(eager))
        throw new Error(`${args.path}: "${eager}" not found; update script/bundle.mjs`)
      return {
        loader: 'js',
        resolveDir: dirname(args.path),
        contents: source.replace(
          eager,
          "const connectH2 = (client, socket) => require('./client-h2.js')(client, socket)"
        )
      }
    })
  }
}

/**
 * undici's HTTP/1.1 and HTTP/2 clients require its fetch body module (and with it fetch's
 * WebIDL, FormData, MIME and data: URL code, about 100 kB bundled) for one case only: a
 * request body that is a FormData. This project sends Buffers and streams only, so that code
 * would only lengthen what is compiled at start. The stand-in throws if it is ever reached.
 */
const withoutFetchBody = {
  name: 'undici-without-fetch-body',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/web\/fetch\/body\.js$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h[12]\.js$/.test(args.importer)
        ? { path: args.path, namespace: 'undici-without-fetch-body' }
        : undefined
    )
    b.onLoad({ filter: /.*/, namespace: 'undici-without-fetch-body' }, () => ({
      loader: 'js',
      contents: `module.exports.extractBody = () => { throw new Error('multiarch-index is bundled without undici FormData bodies (script/bundle.mjs)') }`
    }))
  }
}

// Chunks are named by content hash: start from an empty directory so none is left behind.
await rm(outdir, { recursive: true, force: true })
await build({
  entryPoints: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: requireShim },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [withoutOidcClient, http2OnFirstUse, withoutFetchBody]
})
// One build for both entries, so the Action and the CLI share chunks rather than each carry a
// copy; the CLI's #! line is added afterwards (a banner would put it into every chunk).
const cli = join(outdir, 'cli.js')
await writeFile(cli, `#!/usr/bin/env node\n${await readFile(cli, 'utf8')}`)
await chmod(cli, 0o755)
