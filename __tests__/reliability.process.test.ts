/**
 * Reliability at the level of whole runs: cancellation by the runner, re-runs racing the
 * original, and malformed inputs that must be refused before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { renderGfm } from './helpers/gfm.js'
import { accessFor, getManifest, pushImage, type RegistryAccess } from './helpers/seed.js'
import { skopeoInspectRawBytes } from './helpers/skopeo.js'

let registry: RunningRegistry
let proxy: CountingProxy
let access: RegistryAccess
let creds: Record<string, string>

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  proxy = await startCountingProxy(registry.url, { latencyMs: 20 })
  access = accessFor(registry)
  const [username, password] = Object.entries(registry.users)[0]
  creds = { username, password }
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

function writes() {
  return proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
}

describe('cancellation', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s while waiting: stops within a second, says what was not done, exits 1',
    async (signal) => {
      const repo = `cancel/${signal.toLowerCase()}`
      await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
      proxy.reset()
      let signalledAt = 0
      const run = await runAction(
        {
          images: `${proxy.host}/${repo}`,
          tag: 'v1',
          tags: 'latest',
          'wait-timeout': '60s',
          ...creds
        },
        {
          onSpawn: (child) => {
            // Signal once the step is waiting for the missing arm64 image.
            const poll = setInterval(() => {
              if (proxy.requests.filter((r) => r.path.includes('v1-linux-arm64')).length >= 2) {
                clearInterval(poll)
                signalledAt = Date.now()
                child.kill(signal)
              }
            }, 50)
            child.once('exit', () => clearInterval(poll))
          }
        }
      )
      const exitedAfter = Date.now() - signalledAt
      expect(signalledAt).toBeGreaterThan(0)
      expect(run.code).toBe(1)
      // Bounded by the test's own clock only loosely: the claim is "within a second".
      expect(exitedAfter).toBeLessThan(1000)
      expect(run.stdout).toContain(`received ${signal}: cancelling`)
      expect(run.stdout).toContain(
        'cancelled while reading the per-arch images; tags written: none; not written: v1, latest'
      )
      expect(run.outputs.status).toBe('failed')
      expect(writes()).toEqual([])
      // What every tag holds now: nothing was written, and both tags held nothing before.
      const [image] = JSON.parse(run.outputs.result).images
      expect(image.tagResults).toEqual([
        { tag: 'v1', role: 'release', change: 'not-written', previousDigest: null, digest: null },
        {
          tag: 'latest',
          role: 'floating',
          change: 'not-written',
          previousDigest: null,
          digest: null
        }
      ])
      expect(renderGfm(run.summary).text).toContain('latest\tnot written: holds nothing')
    }
  )
})

describe('concurrent runs of the same publish', () => {
  it.each([2, 4])('%i runs at once all finish with the same digest', async (n) => {
    const repo = `race/x${n}`
    await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, repo, 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
    await pushImage(access, repo, 'v1-windows-ltsc2022-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453'
    })
    const inputs = {
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      tags: 'latest',
      platforms: 'linux/amd64, linux/arm64, windows(ltsc2022)/amd64',
      ...creds
    }
    const runs = await Promise.all(Array.from({ length: n }, () => runAction(inputs)))
    for (const run of runs) {
      expect(run.stdout).not.toContain('::error')
      expect(run.code).toBe(0)
      expect(['created', 'unchanged']).toContain(run.outputs.status)
    }
    const digests = new Set(runs.map((r) => r.outputs.digest))
    expect(digests.size).toBe(1)
    const [digest] = digests
    const stored = await skopeoInspectRawBytes(`${registry.host}/${repo}:v1`, {
      username: creds.username,
      password: creds.password
    })
    expect(stored.digest).toBe(digest)
    expect((await getManifest(access, repo, 'latest')).digest).toBe(digest)
  })
})

describe('malformed inputs are refused before any request', () => {
  const bad: Array<{ name: string; inputs: Record<string, string>; input: string }> = [
    { name: 'uppercase repository', inputs: { images: 'HOST/Repo' }, input: 'images' },
    { name: 'images line with a tag', inputs: { images: 'REG/app:v1' }, input: 'images' },
    {
      name: 'images line with a digest',
      inputs: { images: `REG/app@sha256:${'a'.repeat(64)}` },
      input: 'images'
    },
    { name: 'empty images', inputs: { images: '' }, input: 'images' },
    { name: 'duplicate images', inputs: { images: 'REG/app\nREG/app' }, input: 'images' },
    {
      name: 'plain HTTP to a non-loopback host',
      inputs: { images: 'http://10.1.2.3:5000/app' },
      input: 'images'
    },
    { name: 'URL scheme', inputs: { images: 'https://REG/app' }, input: 'images' },
    { name: 'platform without arch', inputs: { platforms: 'linux' }, input: 'platforms' },
    {
      name: 'unknown Windows release',
      inputs: { platforms: 'windows(ltsc2030)/amd64' },
      input: 'platforms'
    },
    {
      name: 'duplicate platforms',
      inputs: { platforms: 'linux/arm64,linux/arm64/v8' },
      input: 'platforms'
    },
    { name: 'os version on linux', inputs: { platforms: 'linux(1.0)/amd64' }, input: 'platforms' },
    {
      name: 'unknown template token',
      inputs: { 'source-template': '{tag}-{cpu}' },
      input: 'source-template'
    },
    {
      name: 'unclosed template',
      inputs: { 'source-template': '{tag-{arch}' },
      input: 'source-template'
    },
    {
      name: 'template without tokens',
      inputs: { 'source-template': 'fixed' },
      input: 'source-template'
    },
    {
      name: 'template colliding sources',
      inputs: { 'source-template': '{tag}-{os}' },
      input: 'source-template'
    },
    { name: 'duration not a duration', inputs: { timeout: 'soon' }, input: 'timeout' },
    { name: 'negative wait', inputs: { 'wait-timeout': '-1s' }, input: 'wait-timeout' },
    {
      name: 'wait not shorter than timeout',
      inputs: { 'wait-timeout': '20m' },
      input: 'wait-timeout'
    },
    { name: 'zero timeout', inputs: { timeout: '0' }, input: 'timeout' },
    { name: 'annotation without =', inputs: { annotations: 'version' }, input: 'annotations' },
    {
      name: 'annotations with a Docker list',
      inputs: { annotations: 'a=b', 'media-type': 'docker' },
      input: 'annotations'
    },
    { name: 'unknown mode', inputs: { mode: 'push' }, input: 'mode' },
    { name: 'unknown media-type', inputs: { 'media-type': 'schema1' }, input: 'media-type' },
    { name: 'unknown on-existing', inputs: { 'on-existing': 'overwrite' }, input: 'on-existing' },
    {
      name: 'sources with platforms',
      inputs: { sources: 'REG/app:x', platforms: 'linux/amd64' },
      input: 'sources'
    },
    {
      name: 'source outside every image with several images',
      inputs: { images: 'REG/app\nREG/b', sources: 'REG/other:x' },
      input: 'sources'
    },
    { name: 'source without tag or digest', inputs: { sources: 'REG/app' }, input: 'sources' },
    {
      name: 'extra tag with a digest',
      inputs: { tags: `REG/app@sha256:${'b'.repeat(64)}` },
      input: 'tags'
    },
    { name: 'invalid extra tag', inputs: { tags: '.hidden' }, input: 'tags' },
    { name: 'invalid release tag', inputs: { tag: 'feature/x' }, input: 'tag' },
    { name: 'username without password', inputs: { username: 'bot' }, input: 'password' },
    {
      name: 'insecure-registries entry with a path',
      inputs: { 'insecure-registries': 'reg.local/x' },
      input: 'insecure-registries'
    }
  ]

  it.each(bad)('$name → names input $input, zero requests, exit 1', async ({ inputs, input }) => {
    const fill = (v: string) => v.replace(/REG/g, proxy.host).replace(/HOST/g, proxy.host)
    const all = {
      images: `${proxy.host}/app`,
      tag: 'v1',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, fill(v)]))
    }
    proxy.reset()
    const run = await runAction(all)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      new RegExp(`::error::input '${input}': .+\\(nothing was sent to any registry\\)`)
    )
    expect(run.outputs.status).toBe('failed')
    expect(proxy.requests).toEqual([])
  })

  it('has at least 30 cases', () => {
    expect(bad.length).toBeGreaterThanOrEqual(30)
  })
})
