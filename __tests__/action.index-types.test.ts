/**
 * Which index type is written, and how buildx-style sources are flattened, on a real
 * registry, with skopeo as the independent reader.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import {
  MT,
  accessFor,
  pushBuildxStyleIndex,
  pushImage,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw } from './helpers/skopeo.js'

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

async function seedPair(repo: string, format: 'docker' | 'oci') {
  const amd64 = await pushImage(access, repo, 'v1-linux-amd64', {
    os: 'linux',
    architecture: 'amd64',
    format
  })
  const arm64 = await pushImage(access, repo, 'v1-linux-arm64', {
    os: 'linux',
    architecture: 'arm64',
    format
  })
  return { amd64, arm64 }
}

function writes() {
  return proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
}

describe('media-type', () => {
  it('auto: Docker v2 children give a Docker manifest list', async () => {
    await seedPair('types/docker', 'docker')
    const run = await runAction({ images: `${proxy.host}/types/docker`, tag: 'v1' })
    expect(run.code).toBe(0)
    const index = await skopeoInspectRaw(`${registry.host}/types/docker:v1`)
    expect(index.mediaType).toBe(MT.dockerList)
    expect(index.manifests.map((m: { mediaType: string }) => m.mediaType)).toEqual([
      MT.dockerManifest,
      MT.dockerManifest
    ])
  })

  it('auto: OCI children give an OCI index', async () => {
    const { amd64, arm64 } = await seedPair('types/oci', 'oci')
    const run = await runAction({ images: `${proxy.host}/types/oci`, tag: 'v1' })
    expect(run.code).toBe(0)
    const index = await skopeoInspectRaw(`${registry.host}/types/oci:v1`)
    expect(index.mediaType).toBe(MT.ociIndex)
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual([
      amd64.digest,
      arm64.digest
    ])
    expect(index.manifests.map((m: { mediaType: string }) => m.mediaType)).toEqual([
      MT.ociManifest,
      MT.ociManifest
    ])
  })

  it('oci forces an OCI index over Docker children, with annotations', async () => {
    await seedPair('types/force-oci', 'docker')
    const run = await runAction({
      images: `${proxy.host}/types/force-oci`,
      tag: 'v1',
      'media-type': 'oci',
      annotations:
        'org.opencontainers.image.version=v1\norg.opencontainers.image.source=https://github.com/o/r'
    })
    expect(run.code).toBe(0)
    const index = await skopeoInspectRaw(`${registry.host}/types/force-oci:v1`)
    expect(index.mediaType).toBe(MT.ociIndex)
    expect(index.annotations).toEqual({
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'org.opencontainers.image.version': 'v1'
    })
    expect(index.manifests.map((m: { mediaType: string }) => m.mediaType)).toEqual([
      MT.dockerManifest,
      MT.dockerManifest
    ])
  })

  it('docker forces a Docker manifest list over OCI children', async () => {
    await seedPair('types/force-docker', 'oci')
    const run = await runAction({
      images: `${proxy.host}/types/force-docker`,
      tag: 'v1',
      'media-type': 'docker'
    })
    expect(run.code).toBe(0)
    const index = await skopeoInspectRaw(`${registry.host}/types/force-docker:v1`)
    expect(index.mediaType).toBe(MT.dockerList)
    expect(index.manifests.map((m: { mediaType: string }) => m.mediaType)).toEqual([
      MT.ociManifest,
      MT.ociManifest
    ])
  })

  it('annotations with media-type docker are refused before any request', async () => {
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/types/docker`,
      tag: 'v2',
      'media-type': 'docker',
      annotations: 'a=b'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("input 'annotations'")
    expect(run.stdout).toContain('media-type: oci')
    expect(proxy.requests).toEqual([])
  })

  it('annotations when auto resolves to a Docker list fail before any write', async () => {
    proxy.reset()
    const run = await runAction({
      images: `${proxy.host}/types/docker`,
      tag: 'v1',
      annotations: 'a=b'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.stdout).toMatch(/Docker manifest list cannot carry annotations/)
    expect(proxy.requests.length).toBeGreaterThan(0)
    expect(writes()).toEqual([])
  })
})

describe('buildx-style sources (index + attestation)', () => {
  it('are flattened: image entries with their attestations, never a nested index', async () => {
    const repo = 'types/buildx'
    const amd64 = await pushBuildxStyleIndex(access, repo, 'v1-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    const arm = await pushBuildxStyleIndex(access, repo, 'v1-linux-arm-v7', {
      os: 'linux',
      architecture: 'arm',
      variant: 'v7'
    })
    const run = await runAction({
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      platforms: 'linux/amd64,linux/arm/v7'
    })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    const index = await skopeoInspectRaw(`${registry.host}/${repo}:v1`)
    expect(index.mediaType).toBe(MT.ociIndex)
    expect(index.manifests).toEqual([
      {
        mediaType: amd64.imageMediaType,
        digest: amd64.imageDigest,
        size: amd64.imageSize,
        platform: { architecture: 'amd64', os: 'linux' }
      },
      {
        mediaType: amd64.attestationMediaType,
        digest: amd64.attestationDigest,
        size: amd64.attestationSize,
        annotations: {
          'vnd.docker.reference.digest': amd64.imageDigest,
          'vnd.docker.reference.type': 'attestation-manifest'
        },
        platform: { architecture: 'unknown', os: 'unknown' }
      },
      {
        mediaType: arm.imageMediaType,
        digest: arm.imageDigest,
        size: arm.imageSize,
        platform: { architecture: 'arm', os: 'linux', variant: 'v7' }
      },
      {
        mediaType: arm.attestationMediaType,
        digest: arm.attestationDigest,
        size: arm.attestationSize,
        annotations: {
          'vnd.docker.reference.digest': arm.imageDigest,
          'vnd.docker.reference.type': 'attestation-manifest'
        },
        platform: { architecture: 'unknown', os: 'unknown' }
      }
    ])
    // No entry is itself an index.
    expect(
      index.manifests.some(
        (m: { mediaType: string }) => m.mediaType === MT.ociIndex || m.mediaType === MT.dockerList
      )
    ).toBe(false)
    // A puller on linux/arm/v7 gets the image, not the attestation.
    expect(await skopeoInspectPlatform(`${registry.host}/${repo}:v1`, 'linux', 'arm', 'v7')).toBe(
      arm.imageDigest
    )
    const result = JSON.parse(run.outputs.result)
    expect(result.images[0].platforms.map((p: { digest: string }) => p.digest)).toEqual([
      amd64.imageDigest,
      arm.imageDigest
    ])
  })
})
