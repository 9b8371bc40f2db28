/**
 * The Action (dist/index.js, run as a runner runs it) against a hostile registry: a real
 * token-auth registry behind ./helpers/hostile-registry.ts, which rewrites its answers, and
 * a third host that records every request (docs/design.md §3 "Untrusted input", §5). Each case
 * proves the attack fails and the outputs stay correct:
 *
 * - a blob redirected to a host that asks for credentials at its own realm: the third host
 *   never receives a credential in any form, and the error names it;
 * - workflow commands in an image config's os.version and in tag names: no stdout line a
 *   runner would take as a command carries them (nor of the CLI, which a `run:` step uses);
 * - HTML in a HEAD's Docker-Content-Digest: the job summary has no live element.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import {
  forgedCommandLines,
  startHostileProxy,
  startThirdHost,
  type HostileProxy,
  type ThirdHost
} from './helpers/hostile-registry.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { runCliProcess } from './helpers/run-cli.js'
import { accessFor, getManifest, pushImage } from './helpers/seed.js'

const FORGED_VERSION =
  '1\n::warning title=forged::FORGED-1\n::add-mask::linux\n##[error]FORGED-2\r  ::stop-commands::FORGED-3'
const FORGED_TAGS = [
  'v1-linux-s390x\n::warning title=forged::FORGED-4',
  '##[error]FORGED-5',
  '<img src="https://evil.example/FORGED-6.png">',
  '::add-mask::linux'
]
const FORGED_DIGEST =
  'sha256:"><a href="https://evil.example/login">re-enter your token FORGED-7</a><img src="https://evil.example/p.png">'

let registry: RunningRegistry
let proxy: HostileProxy
let third: ThirdHost
let credentials: { username: string; password: string }

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  const [username, password] = Object.entries(registry.users)[0]!
  credentials = { username, password }
  proxy = await startHostileProxy(registry.url)
  third = await startThirdHost()
})

afterAll(async () => {
  await proxy?.stop()
  await third?.stop()
  await registry?.stop()
})

async function seed(repo: string, extra: { arm64OsVersion?: string } = {}): Promise<void> {
  const access = accessFor(registry)
  await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
  await pushImage(access, repo, 'v1-linux-arm64', {
    os: 'linux',
    architecture: 'arm64',
    ...(extra.arm64OsVersion === undefined ? {} : { osVersion: extra.arm64OsVersion })
  })
}

function publish(repo: string, inputs: Record<string, string> = {}) {
  return runAction({
    images: `${proxy.host}/${repo}`,
    tag: 'v1',
    timeout: '30s',
    ...credentials,
    ...inputs
  })
}

/** The elements of the rendered summary that could act: links, images, scripts, frames. */
function liveElements(summary: string): string[] {
  const html = marked.parse(summary, { async: false })
  return [...html.matchAll(/<(a|img|script|iframe|svg|form|input)\b[^>]*>/gi)].map((m) => m[0])
}

describe('a hostile registry', () => {
  it('never gets a credential to a third host through a redirected blob that asks for one', async () => {
    const repo = 'hostile/redirect'
    await seed(repo)
    proxy.configure({ redirectBlobsTo: third.url })
    try {
      const run = await publish(repo)
      expect(run.code).toBe(1)
      expect(run.outputs.status).toBe('failed')
      // The third host was asked for the blob, and then for nothing, least of all a token.
      expect(third.requests.length).toBeGreaterThan(0)
      expect(third.requests.filter((r) => r.path.startsWith('/token'))).toEqual([])
      expect(third.credentialsSeen()).toEqual([])
      // The registry never saw the attacker's token.
      expect(run.stdout).toContain(`${third.host} answered 401`)
      const error = (JSON.parse(run.outputs.result) as { images: Array<{ error: string }> })
        .images[0]!.error
      expect(error).toContain(third.host)
      // Nothing was written.
      expect((await getManifest(accessFor(registry), repo, 'v1')).status).toBe(404)
    } finally {
      proxy.configure({})
    }
  })

  it('cannot forge a workflow command through an image config’s os.version', async () => {
    const repo = 'hostile/config'
    await seed(repo, { arm64OsVersion: FORGED_VERSION })
    const run = await publish(repo)
    expect(forgedCommandLines(run.stdout)).toEqual([])
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const error = (JSON.parse(run.outputs.result) as { images: Array<{ error: string }> })
      .images[0]!.error
    expect(error).toContain(`${proxy.host}/${repo}:v1-linux-arm64`)
    expect(error).toContain('os.version')
    expect((await getManifest(accessFor(registry), repo, 'v1')).status).toBe(404)
  })

  it('cannot forge a workflow command through the CLI (a run: step) either', async () => {
    const repo = 'hostile/cli'
    await seed(repo, { arm64OsVersion: FORGED_VERSION })
    const args = ['--images', `${proxy.host}/${repo}`, '--tag', 'v1', '--verbose']
    const run = await runCliProcess(args, {
      env: {
        MULTIARCH_INDEX_USERNAME: credentials.username,
        MULTIARCH_INDEX_PASSWORD: credentials.password
      }
    })
    expect(forgedCommandLines(run.stdout)).toEqual([])
    expect(forgedCommandLines(run.stderr)).toEqual([])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`${proxy.host}/${repo}:v1-linux-arm64`)
    expect(run.stdout).toContain('os.version')
  })

  it('cannot forge a workflow command through tag names; invalid ones are dropped and counted', async () => {
    const repo = 'hostile/tags'
    await seed(repo)
    proxy.configure({ extraTags: FORGED_TAGS })
    try {
      const run = await publish(repo, { platforms: 'auto' })
      expect(forgedCommandLines(run.stdout)).toEqual([])
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('created')
      const result = JSON.parse(run.outputs.result) as {
        images: Array<{ platforms: Array<{ platform: string }> }>
      }
      expect(result.images[0]!.platforms.map((p) => p.platform)).toEqual([
        'linux/amd64',
        'linux/arm64'
      ])
      expect(run.summary).toContain('**Dropped 4:**')
      expect(liveElements(run.summary)).toEqual([])
      const pushed = await getManifest(accessFor(registry), repo, 'v1')
      expect(pushed.digest).toBe(run.outputs.digest)
    } finally {
      proxy.configure({})
    }
  })

  it('puts nothing live into the job summary through a forged Docker-Content-Digest', async () => {
    const repo = 'hostile/summary'
    await seed(repo)
    const first = await publish(repo)
    expect(first.outputs.status).toBe('created')
    proxy.configure({ forgedHeadDigest: FORGED_DIGEST })
    try {
      const run = await publish(repo)
      expect(liveElements(run.summary)).toEqual([])
      expect(run.summary).not.toContain('FORGED-7')
      expect(forgedCommandLines(run.stdout)).toEqual([])
      // The forged header is not believed: the GET of the tag tells what it really holds.
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('unchanged')
      expect(run.outputs.digest).toBe(first.outputs.digest)
    } finally {
      proxy.configure({})
    }
  })
})
