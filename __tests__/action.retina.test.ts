/**
 * The Retina v0.0.31 incident on a real registry: four per-arch tags and no index. The
 * bundled Action, run as a runner runs it, must create the index; a re-run must change
 * nothing; another process must produce the same bytes. skopeo checks what was pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { renderGfm } from './helpers/gfm.js'
import { MT, accessFor, pushImage, sha256Digest, type PushedImage } from './helpers/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw, skopeoInspectRawBytes } from './helpers/skopeo.js'

const REPO = 'microsoft/retina/retina-agent'
const PLATFORMS = 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'

describe('Retina v0.0.31: four per-arch tags, no index', () => {
  let registry: RunningRegistry
  let proxy: CountingProxy
  const pushed: Record<string, PushedImage> = {}

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' })
    proxy = await startCountingProxy(registry.url)
    const access = accessFor(registry)
    pushed.amd64 = await pushImage(access, REPO, 'v0.0.31-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    pushed.arm64 = await pushImage(access, REPO, 'v0.0.31-linux-arm64', {
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8'
    })
    pushed.ltsc2019 = await pushImage(access, REPO, 'v0.0.31-windows-ltsc2019-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763.7009'
    })
    pushed.ltsc2022 = await pushImage(access, REPO, 'v0.0.31-windows-ltsc2022-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453'
    })
  })

  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  const inputs = () => ({ images: `${proxy.host}/${REPO}`, tag: 'v0.0.31', platforms: PLATFORMS })

  it('creates one index with exactly the four entries, in order, as skopeo reads it', async () => {
    proxy.reset()
    const run = await runAction(inputs())
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    const digest = run.outputs.digest
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)

    const raw = await skopeoInspectRawBytes(`${registry.host}/${REPO}:v0.0.31`)
    expect(raw.digest).toBe(digest)
    const index = JSON.parse(raw.stdout.toString('utf8'))
    // Every child is a Docker v2 manifest, so `auto` gives a Docker manifest list.
    expect(index.mediaType).toBe(MT.dockerList)
    expect(index.manifests).toEqual([
      {
        mediaType: MT.dockerManifest,
        digest: pushed.amd64.digest,
        size: pushed.amd64.size,
        platform: { architecture: 'amd64', os: 'linux' }
      },
      {
        mediaType: MT.dockerManifest,
        digest: pushed.arm64.digest,
        size: pushed.arm64.size,
        platform: { architecture: 'arm64', os: 'linux', variant: 'v8' }
      },
      {
        mediaType: MT.dockerManifest,
        digest: pushed.ltsc2019.digest,
        size: pushed.ltsc2019.size,
        platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.17763.7009' }
      },
      {
        mediaType: MT.dockerManifest,
        digest: pushed.ltsc2022.digest,
        size: pushed.ltsc2022.size,
        platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.3453' }
      }
    ])
    // A puller on linux/arm64 gets the arm64 child (skopeo resolves it independently).
    expect(await skopeoInspectPlatform(`${registry.host}/${REPO}:v0.0.31`, 'linux', 'arm64')).toBe(
      pushed.arm64.digest
    )
    expect(await skopeoInspectPlatform(`${registry.host}/${REPO}:v0.0.31`, 'linux', 'amd64')).toBe(
      pushed.amd64.digest
    )

    expect(proxy.counts()['PUT manifest']).toBe(1)
    const result = JSON.parse(run.outputs.result)
    expect(result.images).toHaveLength(1)
    expect(result.images[0]).toMatchObject({
      image: `${proxy.host}/${REPO}`,
      tags: ['v0.0.31'],
      digest,
      mediaType: MT.dockerList,
      status: 'created'
    })
    expect(result.images[0].platforms.map((p: { platform: string }) => p.platform)).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
      'windows(10.0.17763.7009)/amd64',
      'windows(10.0.20348.3453)/amd64'
    ])
    expect(result.images[0].platforms[1]).toEqual({
      platform: 'linux/arm64/v8',
      source: `${proxy.host}/${REPO}:v0.0.31-linux-arm64`,
      digest: pushed.arm64.digest,
      size: pushed.arm64.size,
      mediaType: MT.dockerManifest
    })
    const { text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe('✅ v0.0.31: 1 of 1 image published (1 created)')
    expect(text).toMatch(
      /windows\/amd64\tv0\.0\.31-windows-ltsc2022-amd64\t\tsha256:[0-9a-f]{64}\t10\.0\.20348\.3453/
    )
  })

  it('changes nothing on a re-run: unchanged, no PUT, same digest', async () => {
    const before = await skopeoInspectRawBytes(`${registry.host}/${REPO}:v0.0.31`)
    proxy.reset()
    const run = await runAction(inputs())
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('unchanged')
    expect(run.outputs.digest).toBe(before.digest)
    expect(proxy.counts()['PUT manifest'] ?? 0).toBe(0)
    expect(proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([])
  })

  it('gives the same bytes from another process (a third run; dry-run prints them)', async () => {
    const stored = await skopeoInspectRawBytes(`${registry.host}/${REPO}:v0.0.31`)
    const third = await runAction(inputs())
    expect(third.outputs.status).toBe('unchanged')
    expect(third.outputs.digest).toBe(stored.digest)
    proxy.reset()
    const run = await runAction({ ...inputs(), mode: 'dry-run' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('planned')
    expect(run.outputs.digest).toBe(stored.digest)
    const result = JSON.parse(run.outputs.result)
    // The printed index hashes to exactly what the registry stores.
    expect(sha256Digest(result.images[0].index)).toBe(stored.digest)
    expect(result.images[0].plannedAction).toBe('nothing')
    expect(proxy.counts()['PUT manifest'] ?? 0).toBe(0)
  })

  it('verify passes on the complete index without writing', async () => {
    proxy.reset()
    const run = await runAction({ ...inputs(), mode: 'verify' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('verified')
    expect(proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([])
    const index = await skopeoInspectRaw(`${registry.host}/${REPO}:v0.0.31`)
    expect(run.outputs.digest).toMatch(/^sha256:/)
    expect(index.manifests).toHaveLength(4)
  })
})
