/**
 * What must fail, and fail clean: missing or wrong per-arch images, verify on an incomplete
 * index, on-existing keep, dry-run. Every case counts the writes at a proxy: zero.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import {
  MT,
  accessFor,
  getManifest,
  pushImage,
  putManifest,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

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

function writes() {
  return proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
}

describe('sources that are not there or not right', () => {
  it('a missing per-arch tag: exit 1, names the reference, zero writes', async () => {
    await pushImage(access, 'fail/missing', 'v1-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    proxy.reset()
    const run = await runAction({ images: `${proxy.host}/fail/missing`, tag: 'v1' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.stdout).toContain(
      `${proxy.host}/fail/missing:v1-linux-arm64 (linux/arm64): not found`
    )
    expect(run.stdout).toContain('nothing was written')
    expect(run.stdout).toMatch(/::error title=multiarch-index%3A .*fail\/missing%3Av1::/)
    expect(writes()).toEqual([])
    expect((await getManifest(access, 'fail/missing', 'v1')).status).toBe(404)
    const result = JSON.parse(run.outputs.result)
    expect(result.images[0].status).toBe('failed')
    expect(result.images[0].error).toContain('v1-linux-arm64')
  })

  it('a config that says arm64 under an -amd64 tag: exit 1 naming both', async () => {
    await pushImage(access, 'fail/wrong', 'v1-linux-amd64', { os: 'linux', architecture: 'arm64' })
    await pushImage(access, 'fail/wrong', 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
    proxy.reset()
    const run = await runAction({ images: `${proxy.host}/fail/wrong`, tag: 'v1' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `${proxy.host}/fail/wrong:v1-linux-amd64 (linux/amd64): expected linux/amd64, the image config says linux/arm64`
    )
    expect(writes()).toEqual([])
  })

  it('a Windows image whose os.version is another release: exit 1 naming both builds', async () => {
    await pushImage(access, 'fail/win', 'v1-windows-ltsc2019-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453'
    })
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/fail/win`,
      tag: 'v1',
      platforms: 'windows(ltsc2019)/amd64'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'expected os.version 10.0.17763 (ltsc2019), the image config says 10.0.20348.3453 (ltsc2022)'
    )
    expect(writes()).toEqual([])
  })

  it('two sources with the same platform are refused', async () => {
    const a = await pushImage(access, 'fail/dup', 'a', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, 'fail/dup', 'b', { os: 'linux', architecture: 'amd64' })
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/fail/dup`,
      tag: 'v1',
      sources: `${proxy.host}/fail/dup:a, ${proxy.host}/fail/dup:b`
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('are both linux/amd64')
    expect(writes()).toEqual([])
    expect(a.digest).toMatch(/^sha256:/)
  })
})

describe('mode: verify', () => {
  it('fails naming the missing platform on an index that lacks one, with zero writes', async () => {
    const amd64 = await pushImage(access, 'verify/partial', 'v1-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    await pushImage(access, 'verify/partial', 'v1-linux-arm64', {
      os: 'linux',
      architecture: 'arm64'
    })
    // An index that someone pushed with amd64 only.
    const partial = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.dockerList,
        manifests: [
          {
            mediaType: MT.dockerManifest,
            digest: amd64.digest,
            size: amd64.size,
            platform: { architecture: 'amd64', os: 'linux' }
          }
        ]
      })
    )
    expect((await putManifest(access, 'verify/partial', 'v1', MT.dockerList, partial)).status).toBe(
      201
    )
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/verify/partial`,
      tag: 'v1',
      mode: 'verify'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.stdout).toContain(`${proxy.host}/verify/partial:v1 has no entry for linux/arm64`)
    expect(writes()).toEqual([])
  })

  it('fails when the tag was never pushed (the incident), with zero writes', async () => {
    await pushImage(access, 'verify/none', 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, 'verify/none', 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
    proxy.reset()
    const run = await runAction({ images: `${proxy.host}/verify/none`, tag: 'v1', mode: 'verify' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('does not exist: the index was never pushed')
    expect(writes()).toEqual([])
    // ... and a publish then repairs it, after which verify passes.
    expect((await runAction({ images: `${proxy.host}/verify/none`, tag: 'v1' })).code).toBe(0)
    const again = await runAction({
      images: `${proxy.host}/verify/none`,
      tag: 'v1',
      mode: 'verify'
    })
    expect(again.code).toBe(0)
    expect(again.outputs.status).toBe('verified')
  })

  it('reports a stale entry without failing', async () => {
    await pushImage(access, 'verify/stale', 'v1-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    await pushImage(access, 'verify/stale', 'v1-linux-arm64', {
      os: 'linux',
      architecture: 'arm64'
    })
    expect((await runAction({ images: `${proxy.host}/verify/stale`, tag: 'v1' })).code).toBe(0)
    const rebuilt = await pushImage(access, 'verify/stale', 'v1-linux-arm64', {
      os: 'linux',
      architecture: 'arm64'
    })
    const run = await runAction({ images: `${proxy.host}/verify/stale`, tag: 'v1', mode: 'verify' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`now holds ${rebuilt.digest} (stale)`)
    const result = JSON.parse(run.outputs.result)
    expect(result.images[0].platforms[1].stale).toBe(true)
  })
})

describe('mode: dry-run', () => {
  it('prints the index it would push and writes nothing', async () => {
    await pushImage(access, 'dry/run', 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, 'dry/run', 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/dry/run`,
      tag: 'v1',
      mode: 'dry-run',
      tags: 'latest'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('planned')
    expect(run.stdout).toContain('dry-run: would create')
    expect(run.stdout).toContain(`"mediaType": "${MT.dockerList}"`)
    expect(writes()).toEqual([])
    expect((await getManifest(access, 'dry/run', 'v1')).status).toBe(404)
  })
})

describe('on-existing and extra tags', () => {
  it('keep refuses to replace a different index; update replaces it and reports the diff', async () => {
    const repo = 'exist/keep'
    await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, repo, 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
    const first = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      platforms: 'linux/amd64'
    })
    expect(first.outputs.status).toBe('created')

    proxy.reset()
    const keep = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      'on-existing': 'keep'
    })
    expect(keep.code).toBe(1)
    expect(keep.stdout).toContain(`holds ${first.outputs.digest}`)
    expect(keep.stdout).toContain('on-existing is keep')
    expect(writes()).toEqual([])
    expect((await getManifest(access, repo, 'v1')).digest).toBe(first.outputs.digest)

    const update = await runAction({ images: `${proxy.host}/${repo}`, tag: 'v1' })
    expect(update.code).toBe(0)
    expect(update.outputs.status).toBe('updated')
    const result = JSON.parse(update.outputs.result)
    expect(result.images[0].previousDigest).toBe(first.outputs.digest)
    expect(result.images[0].changes).toEqual({
      comparedWith: { tag: 'v1', digest: first.outputs.digest },
      added: ['linux/arm64'],
      removed: [],
      changed: []
    })
    expect(update.summary).toContain('added linux/arm64')
  })

  it('pushes extra tags to the same index and confirms each', async () => {
    const repo = 'exist/tags'
    await pushImage(access, repo, 'v1.2.3-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, repo, 'v1.2.3-linux-arm64', { os: 'linux', architecture: 'arm64' })
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1.2.3',
      tags: `latest\n${proxy.host}/${repo}:1.2`
    })
    expect(run.code).toBe(0)
    expect(proxy.counts()['PUT manifest']).toBe(3)
    const digests = await Promise.all(
      ['v1.2.3', 'latest', '1.2'].map(async (t) => (await getManifest(access, repo, t)).digest)
    )
    expect(new Set(digests)).toEqual(new Set([run.outputs.digest]))
    const index = await skopeoInspectRaw(`${registry.host}/${repo}:latest`)
    expect(index.manifests).toHaveLength(2)
  })
})

describe('a broken runner environment', () => {
  it('fails with one clear line, not a stack trace', async () => {
    await pushImage(access, 'env/broken', 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
    const run = await runAction(
      { images: `${proxy.host}/env/broken`, tag: 'v1', platforms: 'linux/amd64', mode: 'verify' },
      { env: { GITHUB_OUTPUT: '/nonexistent/dir/output' } }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      '::error::multiarch-index: Missing file at path: /nonexistent/dir/output'
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('on-existing keep protects only the release tag', () => {
  it('moves latest from the previous release while keeping a new release tag safe', async () => {
    const repo = 'exist/latest'
    for (const version of ['v1', 'v2']) {
      await pushImage(access, repo, `${version}-linux-amd64`, {
        os: 'linux',
        architecture: 'amd64'
      })
      await pushImage(access, repo, `${version}-linux-arm64`, {
        os: 'linux',
        architecture: 'arm64'
      })
    }
    const inputs = { images: `${proxy.host}/${repo}`, tags: 'latest', 'on-existing': 'keep' }
    const first = await runAction({ ...inputs, tag: 'v1' })
    expect(first.outputs.status).toBe('created')
    const second = await runAction({ ...inputs, tag: 'v2' })
    expect(second.stdout).not.toContain('::error')
    expect(second.code).toBe(0)
    expect((await getManifest(access, repo, 'latest')).digest).toBe(second.outputs.digest)
    expect((await getManifest(access, repo, 'v1')).digest).toBe(first.outputs.digest)
    // The status is the release tag's; latest's move is reported with its previous digest.
    expect(second.outputs.status).toBe('created')
    expect(JSON.parse(second.outputs.result).images[0].tagResults).toEqual([
      {
        tag: 'v2',
        role: 'release',
        change: 'created',
        previousDigest: null,
        digest: second.outputs.digest
      },
      {
        tag: 'latest',
        role: 'floating',
        change: 'moved',
        previousDigest: first.outputs.digest,
        digest: second.outputs.digest
      }
    ])
  })
})
