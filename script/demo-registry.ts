/**
 * For the README's hand-run snippet (via script/demo-registry): starts the CNCF distribution
 * registry on 127.0.0.1:PORT (default 5000, no auth), pushes Retina v0.0.31's four per-arch
 * retina-agent tags into it, and leaves it running, printing its pid, the snippet to run and
 * how to stop it. `script/demo-registry stop` stops it by that pid (recorded in a state file
 * in the temp directory, checked to still be the registry) and removes its data.
 */
import { spawn } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pushImage, type ImageOptions } from '../support/seed.js'

const PORT = Number(process.env.PORT ?? '5000')
const HOST = `127.0.0.1:${PORT}`
const REPO = 'microsoft/retina/retina-agent'
const VERSION = 'v0.0.31'
const PLATFORMS: Array<[string, ImageOptions]> = [
  ['linux-amd64', { os: 'linux', architecture: 'amd64' }],
  ['linux-arm64', { os: 'linux', architecture: 'arm64' }],
  [
    'windows-ltsc2019-amd64',
    { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.7009' }
  ],
  ['windows-ltsc2022-amd64', { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.3453' }]
]

/** Where the running registry's pid and directory are kept, per port. */
const STATE = join(tmpdir(), `multiarch-index-demo-registry-${PORT}.json`)

/** Stops the registry this script started on PORT, by its recorded pid. */
async function stop(): Promise<void> {
  let state: { pid: number; dir: string }
  try {
    state = JSON.parse(await readFile(STATE, 'utf8')) as { pid: number; dir: string }
  } catch {
    console.log(`no demo registry recorded for port ${PORT} (${STATE})`)
    return
  }
  let cmdline = ''
  try {
    cmdline = readFileSync(`/proc/${state.pid}/cmdline`, 'utf8')
  } catch {
    // gone already
  }
  // Only the process this script started: a pid can be reused once it has exited.
  if (cmdline.includes(join(state.dir, 'config.yml'))) {
    process.kill(state.pid)
    console.log(`stopped the demo registry (pid ${state.pid})`)
  } else {
    console.log(`the demo registry (pid ${state.pid}) was not running`)
  }
  await rm(state.dir, { recursive: true, force: true })
  await rm(STATE, { force: true })
}

/** True once GET /v2/ answers; false after about 10 s. */
async function answers(url: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) })
      if (res.status === 200) return true
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

async function main(): Promise<void> {
  if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535)
    throw new Error(`PORT=${PORT}: not a port`)
  const url = `http://${HOST}`
  if (
    await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false
    )
  )
    throw new Error(`something already answers on ${HOST}; stop it or run with PORT=<another port>`)
  const dir = await mkdtemp(join(tmpdir(), 'multiarch-index-demo-registry-'))
  const config = join(dir, 'config.yml')
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${JSON.stringify(HOST)}`,
      ''
    ].join('\n')
  )
  const log = openSync(join(dir, 'registry.log'), 'a')
  // Detached, with its output in a file: it outlives this script, as the snippet needs.
  const child = spawn(process.env.MAI_REGISTRY_BIN ?? 'docker-registry', ['serve', config], {
    detached: true,
    stdio: ['ignore', log, log]
  })
  child.unref()
  await writeFile(STATE, JSON.stringify({ pid: child.pid, dir }))
  if (!(await answers(url))) {
    if (child.pid !== undefined) process.kill(child.pid)
    throw new Error(`the registry did not answer on ${HOST} within 10 s; see ${dir}/registry.log`)
  }
  for (const [suffix, platform] of PLATFORMS)
    await pushImage({ url }, REPO, `${VERSION}-${suffix}`, platform)

  console.log(`A registry is running on ${HOST} (pid ${child.pid}), holding ${REPO}:`)
  for (const [suffix] of PLATFORMS) console.log(`  ${VERSION}-${suffix}`)
  console.log(`\nRun the bundled Action against it as a runner would:\n`)
  console.log(`INPUT_IMAGES=${HOST}/${REPO} \\`)
  console.log(`INPUT_TAG=${VERSION} \\`)
  console.log(
    `INPUT_PLATFORMS='linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64' \\`
  )
  console.log('node dist/index.js')
  console.log(
    `\nStop it (and remove its data) with:\n\n${PORT === 5000 ? '' : `PORT=${PORT} `}script/demo-registry stop   # or: kill ${child.pid}`
  )
}

;(process.argv[2] === 'stop' ? stop() : main()).catch((error: unknown) => {
  console.error(`demo-registry: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
