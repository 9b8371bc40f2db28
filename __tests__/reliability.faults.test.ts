/**
 * One fault at a time, on the real registry behind the fault-injecting proxy, through the
 * bundled Action as a runner runs it (docs/registry-protocol.md §B.6's table, docs/design.md §3).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startCountingProxy } from './helpers/counting-proxy.js'
import { startBlobRedirectTarget, startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { accessFor, getManifest, pushImage, type RegistryAccess } from './helpers/seed.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

let registry: RunningRegistry
let proxy: FaultProxy
let access: RegistryAccess
let creds: Record<string, string>
let repoCounter = 0

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  proxy = await startFaultProxy(registry.url, { tokenTarget: registry.tokenServer!.url })
  access = accessFor(registry)
  const [username, password] = Object.entries(registry.users)[0]
  creds = { username, password }
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

beforeEach(() => {
  proxy.configure({ tokenTarget: registry.tokenServer!.url })
  proxy.reset()
})

/** A fresh repository with linux/amd64 and linux/arm64 per-arch tags for v1. */
async function seeded(): Promise<string> {
  const repo = `faults/r${++repoCounter}`
  await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
  await pushImage(access, repo, 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
  return repo
}

const writes = () => proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')

describe('late per-arch images (wait-timeout)', () => {
  it('waits for a tag that appears 3 s after the step starts', async () => {
    const repo = `faults/late${++repoCounter}`
    await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    let pushedAt = 0
    const run = await runAction(
      { images: `${proxy.host}/${repo}`, tag: 'v1', 'wait-timeout': '30s', ...creds },
      {
        onSpawn: () => {
          setTimeout(() => {
            void pushImage(access, repo, 'v1-linux-arm64', {
              os: 'linux',
              architecture: 'arm64'
            }).then(() => (pushedAt = Date.now()))
          }, 3000)
        }
      }
    )
    expect(pushedAt).toBeGreaterThan(0)
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    expect(run.stdout).toContain('waiting for 1 per-arch image(s)')
  })

  it('with wait-timeout 2s and the tag never pushed: fails within the wait plus one request, naming it, zero writes', async () => {
    const repo = `faults/never${++repoCounter}`
    await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    const started = Date.now()
    const run = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      'wait-timeout': '2s',
      ...creds
    })
    const took = Date.now() - started
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `${proxy.host}/${repo}:v1-linux-arm64 (linux/arm64): not found after waiting 2s`
    )
    expect(writes()).toEqual([])
    // 2 s of waiting, plus process start and a last round of reads: well under 2 s more.
    expect(took).toBeLessThan(4000)
  })
})

describe('Retry-After', () => {
  it('a 429 with Retry-After: 2 is waited for, then the publish succeeds', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [
        {
          match: { kinds: ['manifest'], methods: ['GET'] },
          fault: { kind: 'status-429', phase: 'before', retryAfterSeconds: 2 }
        }
      ]
    })
    const started = Date.now()
    const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(run.code).toBe(0)
    // One line when retrying starts (the count of tries is gone: retries last until the deadline).
    expect(run.stdout).toMatch(
      /429 Too Many Requests; retrying until it answers or the step's timeout \(\d+s left\), next try in 2s \(Retry-After\)/
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(proxy.injected).toHaveLength(1)
  })

  it('an HTTP-date Retry-After is honoured too', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [
        {
          match: { kinds: ['blob'] },
          fault: { kind: 'status-503', phase: 'before', retryAfterSeconds: 2, retryAfterDate: true }
        }
      ]
    })
    const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(run.code).toBe(0)
    // An HTTP-date has whole seconds (the proxy rounds up): "2 s from now" is 1 to 3 s away.
    expect(run.stdout).toMatch(
      /503 Service Unavailable; retrying until it answers or the step's timeout \(\d+s left\), next try in (?:[12](?:\.\d)?|3)s \(Retry-After\)/
    )
  })

  it('a Retry-After of 3600 s fails fast with a message instead of sleeping past timeout', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [
        {
          match: { kinds: ['manifest'], methods: ['GET'] },
          fault: { kind: 'status-429', phase: 'before', retryAfterSeconds: 3600 },
          times: 100
        }
      ]
    })
    const started = Date.now()
    const run = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      timeout: '5m',
      ...creds
    })
    expect(run.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(run.stdout).toContain(
      '429 Too Many Requests; the next try would be in 3600s (Retry-After), past the step'
    )
    expect(writes()).toEqual([])
  })
})

describe('registry behaviours', () => {
  it('immutable tags: a re-run is unchanged (no PUT); a different index fails clearly', async () => {
    const repo = await seeded()
    proxy.configure({ tokenTarget: registry.tokenServer!.url, immutableTags: true })
    const first = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(first.code).toBe(0)
    expect(first.outputs.status).toBe('created')
    proxy.reset()
    const again = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(again.code).toBe(0)
    expect(again.outputs.status).toBe('unchanged')
    expect(writes()).toEqual([])
    // A different index (one platform only) cannot replace the immutable tag.
    const other = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      platforms: 'linux/amd64',
      ...creds
    })
    expect(other.code).toBe(1)
    expect(other.stdout).toContain('is immutable on this registry (TAG_INVALID)')
    expect((await getManifest(access, repo, 'v1')).digest).toBe(first.outputs.digest)
  })

  it('immutable tag answering TAG_INVALID while already holding our digest (its HEAD lagging) is unchanged', async () => {
    const repo = await seeded()
    const first = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(first.code).toBe(0)
    // The tag holds our index, but the registry's HEAD says 404 once (a lagging replica).
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      immutableTags: true,
      script: [
        {
          match: { kinds: ['manifest'], methods: ['HEAD'], pathIncludes: '/manifests/v1' },
          fault: { kind: 'status-404', phase: 'before' }
        }
      ]
    })
    const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('unchanged')
    expect(run.stdout).toContain('refuses to overwrite the tag (TAG_INVALID), and it already holds')
  })

  it('a lost 201 (the PUT landed, the answer did not) followed by a retry is success', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [
        {
          match: { kinds: ['manifest'], methods: ['PUT'] },
          fault: { kind: 'reset', phase: 'after' }
        }
      ]
    })
    const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    expect(proxy.injected.map((f) => `${f.method} ${f.kind}`)).toEqual(['PUT manifest'])
    expect((await getManifest(access, repo, 'v1')).digest).toBe(run.outputs.digest)
  })

  it('a lost 201 on an immutable registry: the retry gets TAG_INVALID, the tag holds ours: success', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      immutableTags: true,
      script: [
        {
          match: { kinds: ['manifest'], methods: ['PUT'] },
          fault: { kind: 'status-500', phase: 'after' }
        }
      ]
    })
    const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
    expect(run.code).toBe(0)
    expect((await getManifest(access, repo, 'v1')).digest).toBe(run.outputs.digest)
  })

  it('read-after-write lag: the confirming read waits until the tag shows our digest', async () => {
    const repo = await seeded()
    proxy.configure({ tokenTarget: registry.tokenServer!.url, lag: { ms: 1500 } })
    const run = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      tags: 'latest',
      ...creds
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    // The confirming HEADs saw 404 at first and were repeated.
    const heads = proxy.requests.filter(
      (r) => r.method === 'HEAD' && r.path.endsWith('/manifests/v1')
    )
    expect(heads.length).toBeGreaterThan(2)
  })

  it('MANIFEST_BLOB_UNKNOWN once: the children are re-checked and the PUT is repeated', async () => {
    const repo = await seeded()
    let refused = 0
    const blobProxy = await startCountingProxy(registry.url, {
      onRequest: (req) => {
        if (req.method === 'PUT' && req.kind === 'manifest' && refused === 0) {
          refused++
          return {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              errors: [
                {
                  code: 'MANIFEST_BLOB_UNKNOWN',
                  message: 'blob unknown to registry',
                  detail: 'sha256:0'
                }
              ]
            })
          }
        }
        return undefined
      }
    })
    try {
      const run = await runAction({ images: `${blobProxy.host}/${repo}`, tag: 'v1', ...creds })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('MANIFEST_BLOB_UNKNOWN although every child exists')
      expect(blobProxy.counts()['PUT manifest']).toBe(2)
      // The re-check read each child by digest.
      expect(
        blobProxy.requests.filter(
          (r) => r.method === 'HEAD' && r.path.includes('/manifests/sha256:')
        ).length
      ).toBe(2)
    } finally {
      await blobProxy.stop()
    }
  })

  it('a stalled response is cut off by the per-request timeout and retried', async () => {
    const repo = await seeded()
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [
        { match: { kinds: ['blob'] }, fault: { kind: 'stall', phase: 'before', stallMs: 30_000 } }
      ]
    })
    const started = Date.now()
    const run = await runAction(
      { images: `${proxy.host}/${repo}`, tag: 'v1', ...creds },
      { env: { MULTIARCH_INDEX_REQUEST_TIMEOUT: '1s' } }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/GET blob .*: timed out; retrying until it answers/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('secrets on redirects', () => {
  it('a config-blob GET redirected to another host does not carry Authorization there', async () => {
    const repo = await seeded()
    const storage = await startBlobRedirectTarget(registry.url, access.authHeader)
    try {
      proxy.configure({ tokenTarget: registry.tokenServer!.url, redirectBlobsTo: storage.url })
      const run = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1', ...creds })
      expect(run.code).toBe(0)
      expect(storage.requests.length).toBe(2)
      for (const request of storage.requests) expect(request.headers.authorization).toBeUndefined()
      // ...while the requests to the registry itself did carry it (the publish worked).
      const index = await skopeoInspectRaw(`${registry.host}/${repo}:v1`, {
        username: creds.username,
        password: creds.password
      })
      expect(index.manifests).toHaveLength(2)
    } finally {
      await storage.stop()
    }
  })
})
