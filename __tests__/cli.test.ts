/**
 * The CLI (`node dist/cli.js`, the bundle `npx multiarch-index` runs) on real registries: its
 * options are exactly the inputs of action.yml; on the same input it produces the Action's
 * index (same digest, same result document); bad input exits 1 before any request; it shows
 * progress while it waits; it finds credentials in the Docker config and the environment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { INPUT_OPTIONS, SWITCHES } from '../src/cli/options.js'
import { INPUT_NAMES } from '../src/publish/options.js'
import { GITHUB_INPUT_NAMES } from '../src/action/github-inputs.js'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { PROJECT_ROOT, runAction } from './helpers/run-action.js'
import { runCliProcess } from './helpers/run-cli.js'
import { accessFor, getManifest, pushImage, type RegistryAccess } from './helpers/seed.js'
import { makeTempDir, removeDir } from './helpers/util.js'

interface ActionYaml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
}

const isGitHubOnly = (name: string) => (GITHUB_INPUT_NAMES as readonly string[]).includes(name)

async function actionYaml(): Promise<ActionYaml> {
  return parse(await readFile(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as ActionYaml
}

/** Two per-arch tags (`<tag>-linux-amd64`, `<tag>-linux-arm64`) in a repository. */
async function seed(access: RegistryAccess, repo: string, tag = 'v1'): Promise<void> {
  await pushImage(access, repo, `${tag}-linux-amd64`, { os: 'linux', architecture: 'amd64' })
  await pushImage(access, repo, `${tag}-linux-arm64`, {
    os: 'linux',
    architecture: 'arm64',
    variant: 'v8'
  })
}

describe('options and --help', () => {
  it('has exactly the inputs of action.yml, with their defaults', async () => {
    const yml = await actionYaml()
    // The GitHub-only inputs (releases, the issue report) need a workflow's repository and
    // token; the CLI has neither.
    const names = Object.keys(yml.inputs).filter((n) => !isGitHubOnly(n))
    expect(Object.keys(INPUT_OPTIONS).sort()).toEqual([...names].sort())
    expect([...INPUT_NAMES].sort()).toEqual([...names].sort())
    for (const [name, input] of Object.entries(yml.inputs).filter(([n]) => !isGitHubOnly(n))) {
      const option = INPUT_OPTIONS[name as keyof typeof INPUT_OPTIONS]
      expect({ name, required: option.required === true }).toEqual({
        name,
        required: input.required === true
      })
      // github-token's default is the workflow's token; outside a workflow it is $GITHUB_TOKEN.
      if (input.default !== undefined && name !== 'github-token')
        expect({ name, default: option.default }).toEqual({ name, default: input.default })
    }
  })

  it('`node dist/cli.js --help` lists every input and switch with its description; exit 0', async () => {
    const yml = await actionYaml()
    const run = await runCliProcess(['--help'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: multiarch-index /)
    for (const name of Object.keys(yml.inputs).filter((n) => !isGitHubOnly(n))) {
      expect(run.stdout).toContain(
        `--${name} ${INPUT_OPTIONS[name as keyof typeof INPUT_OPTIONS].value}`
      )
      const firstWords = INPUT_OPTIONS[name as keyof typeof INPUT_OPTIONS].description
        .split(' ')
        .slice(0, 3)
        .join(' ')
      expect(run.stdout).toContain(firstWords)
    }
    for (const name of Object.keys(SWITCHES)) expect(run.stdout).toContain(`--${name}`)
    expect(run.stdout).toContain('-h, --help')
    expect(run.stdout).toContain('MULTIARCH_INDEX_PASSWORD')
    expect(run.stdout).toContain('(default: {tag}-{os}{-release}-{arch}{-variant})')
    // -h is the same.
    expect((await runCliProcess(['-h'])).stdout).toBe(run.stdout)
  })
})

describe('on a registry without auth', () => {
  let registry: RunningRegistry
  let proxy: CountingProxy
  let access: RegistryAccess

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' })
    proxy = await startCountingProxy(registry.url)
    access = accessFor(registry)
  })

  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  it('reproduces the Action: same digest, unchanged on a re-run, the same result document', async () => {
    await seed(access, 'cli/same')
    const image = `${registry.host}/cli/same`
    const action = await runAction({ images: image, tag: 'v1' })
    expect(action.code).toBe(0)
    expect(action.outputs.status).toBe('created')
    const digest = action.outputs.digest
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)

    // The CLI on the same input: the index is already there, byte for byte.
    const human = await runCliProcess(['--images', image, '--tag', 'v1'])
    expect(human.code).toBe(0)
    const lines = human.stdout.split('\n')
    expect(lines[0]).toBe('v1: 1 of 1 image published (1 unchanged)')
    expect(lines).toContain(image)
    expect(human.stdout).toMatch(/^ {2}status: +unchanged: /m)
    expect(human.stdout).toMatch(new RegExp(`^ {2}index: +${image}@${digest} \\(`, 'm'))
    expect(human.stdout).toMatch(/^ {2}v1: +unchanged: already held sha256:/m)
    // The platform table: aligned columns, the source tag, the digest shortened.
    const table = lines.filter((l) => /^ {2}(PLATFORM|linux\/)/.test(l))
    expect(table).toHaveLength(3)
    expect(table[1]).toMatch(/^ {2}linux\/amd64 +v1-linux-amd64 +sha256:[0-9a-f]{12}$/)
    expect(table[2]).toMatch(/^ {2}linux\/arm64\/v8 +v1-linux-arm64 +sha256:[0-9a-f]{12}$/)
    const column = (l: string) => l.indexOf('sha256:')
    expect(column(table[1])).toBe(column(table[2]))
    expect(table[0].indexOf('DIGEST')).toBe(column(table[1]))
    // Progress on stderr, with the time.
    expect(human.stderr).toMatch(/^\d\d:\d\d:\d\d publish: 1 image\(s\), tag v1$/m)

    const json = await runCliProcess(['--images', image, '--tag', 'v1', '--json'])
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout)
    const fromAction = JSON.parse(action.outputs.result)
    // The same document, but for what this run did: the tag already held the index.
    const unchangedTag = (d: string) => [
      { tag: 'v1', role: 'release', change: 'unchanged', previousDigest: d, digest: d }
    ]
    expect(doc).toEqual({
      images: [{ ...fromAction.images[0], status: 'unchanged', tagResults: unchangedTag(digest) }]
    })
    expect(doc.images[0].digest).toBe(digest)

    // The CLI writes first, the Action agrees: the same bytes from either face.
    await seed(access, 'cli/first')
    const first = `${registry.host}/cli/first`
    const created = await runCliProcess(['--images', first, '--tag=v1', '--json'])
    expect(created.code).toBe(0)
    const createdDoc = JSON.parse(created.stdout)
    expect(createdDoc.images[0].status).toBe('created')
    const again = await runAction({ images: first, tag: 'v1' })
    expect(again.outputs.status).toBe('unchanged')
    expect(again.outputs.digest).toBe(createdDoc.images[0].digest)
    expect(JSON.parse(again.outputs.result)).toEqual({
      images: [
        {
          ...createdDoc.images[0],
          status: 'unchanged',
          tagResults: unchangedTag(createdDoc.images[0].digest)
        }
      ]
    })
  })

  it.each([
    {
      args: ['--mode', 'bogus'],
      says: "input 'mode' (--mode): 'bogus' is not one of publish, verify, dry-run"
    },
    { args: ['--platforms', 'linux/amd64,plan9'], says: "input 'platforms' (--platforms)" },
    { args: ['--wait-timeout', 'soon'], says: "input 'wait-timeout' (--wait-timeout)" },
    {
      args: ['--wait-tmeout', '3s'],
      says: 'unknown option --wait-tmeout; did you mean --wait-timeout?'
    },
    { args: ['--tag'], says: '--tag needs a value' }
  ])('bad input $args: exit 1, names it, sends nothing', async ({ args, says }) => {
    proxy.reset()
    const run = await runCliProcess(['--images', `${proxy.host}/cli/bad`, '--tag', 'v1', ...args])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(says)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(proxy.requests).toEqual([])
  })

  it('waits for a missing per-arch image with progress lines, then fails naming it; nothing written', async () => {
    await pushImage(access, 'cli/late', 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    proxy.reset()
    const started = Date.now()
    const run = await runCliProcess([
      '--images',
      `${proxy.host}/cli/late`,
      '--tag',
      'v1',
      '--wait-timeout',
      '3s'
    ])
    expect(run.code).toBe(1)
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000)
    expect(run.stderr).toMatch(
      /^\d\d:\d\d:\d\d waiting for 1 per-arch image\(s\): .*cli\/late:v1-linux-arm64/m
    )
    expect(run.stderr).toMatch(/multiarch-index: 1 of 1 image\(s\) failed: .*cli\/late\n$/)
    expect(run.stdout).toMatch(/^ {2}status: +failed: 1 of 2 per-arch image\(s\) missing/m)
    expect(run.stdout).toContain(`${proxy.host}/cli/late:v1-linux-arm64`)
    expect(proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([])
    expect((await getManifest(access, 'cli/late', 'v1')).status).toBe(404)
  })

  it('SIGINT while waiting: stops at once, reports that nothing was written, exit 1', async () => {
    await pushImage(access, 'cli/cancel', 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    let signalled = 0
    const run = await runCliProcess(
      ['--images', `${registry.host}/cli/cancel`, '--tag', 'v1', '--wait-timeout', '60s', '--json'],
      {
        timeoutMs: 30_000,
        onSpawn: (child) =>
          child.stderr?.on('data', (chunk: Buffer) => {
            if (!signalled && chunk.toString().includes('waiting for')) {
              signalled = Date.now()
              child.kill('SIGINT')
            }
          })
      }
    )
    expect(run.timedOut).toBe(false)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('received SIGINT: cancelling')
    const doc = JSON.parse(run.stdout)
    expect(doc.images[0].status).toBe('failed')
    expect(doc.images[0].error).toContain('cancelled while')
    expect(doc.images[0].error).toContain('tags written: none')
  })
})

describe('credentials', () => {
  let registry: RunningRegistry
  let access: RegistryAccess
  let dir = ''
  let user = ''
  let password = ''

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' })
    access = accessFor(registry)
    ;[user, password] = Object.entries(registry.users)[0]
    dir = await makeTempDir('cli-creds')
  })

  afterAll(async () => {
    await registry?.stop()
    await removeDir(dir)
  })

  it('from the Docker config (DOCKER_CONFIG auths), without --username', async () => {
    await seed(access, 'cli/docker-config')
    const auth = Buffer.from(`${user}:${password}`).toString('base64')
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth } } })
    )
    const run = await runCliProcess(
      ['--images', `${registry.host}/cli/docker-config`, '--tag', 'v1'],
      { env: { DOCKER_CONFIG: dir } }
    )
    expect(run.stderr).not.toContain('warning')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ {2}status: +created: /m)
    expect((await getManifest(access, 'cli/docker-config', 'v1')).status).toBe(200)
  })

  it('a failed source read ends the process: the other reads in flight are not retried on the closed pool', async () => {
    // One platform's 401 fails the image and the session closes its connection pool while the
    // other platform's read is still under way; that read must end with the run (undici's
    // "client is closed/destroyed" is permanent), not retry until the step's deadline. The
    // race is won only some of the time, hence several runs.
    for (let i = 0; i < 4; i++) {
      await seed(access, `cli/closed${i}`)
      const run = await runCliProcess(
        ['--images', `${registry.host}/cli/closed${i}`, '--tag', 'v1', '--verbose'],
        { timeoutMs: 30_000 }
      )
      expect(run.timedOut).toBe(false)
      expect(run.code).toBe(1)
      expect(run.stderr).not.toMatch(/UND_ERR_(CLOSED|DESTROYED); retrying/)
    }
  })

  it('from MULTIARCH_INDEX_USERNAME / MULTIARCH_INDEX_PASSWORD; none at all is a 401 that says so', async () => {
    await seed(access, 'cli/env')
    const args = ['--images', `${registry.host}/cli/env`, '--tag', 'v1']
    const anonymous = await runCliProcess(args)
    expect(anonymous.code).toBe(1)
    expect(anonymous.stdout).toContain('401')
    // In a terminal's words: flags and variables, not the Action's inputs.
    const said = anonymous.stdout + anonymous.stderr
    expect(said).toContain('give --username with MULTIARCH_INDEX_PASSWORD (or --password)')
    expect(said).not.toMatch(/inputs|docker\/login-action/)

    const run = await runCliProcess(args, {
      env: { MULTIARCH_INDEX_USERNAME: user, MULTIARCH_INDEX_PASSWORD: password }
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ {2}status: +created: /m)
  })
})
