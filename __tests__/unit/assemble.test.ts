/**
 * Assembling the index from checked sources (docs/design.md §3 "Assemble"; §2 `media-type`).
 */
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST
} from '../../src/oci/media-types.js'
import type { Descriptor, Platform } from '../../src/oci/types.js'
import { assembleIndex, chooseIndexMediaType, indexEntries } from '../../src/publish/assemble.js'
import { PublishError } from '../../src/publish/errors.js'
import type { ResolvedSource } from '../../src/publish/resolve.js'
import type { RepositoryClient } from '../../src/registry/api/client.js'

const hex = (c: string) => c.repeat(64)
const digest = (c: string) => `sha256:${hex(c)}`

function source(
  tag: string,
  mediaType: string,
  d: string,
  platform: Platform,
  attestations: Descriptor[] = []
): ResolvedSource {
  return {
    planned: { reference: { registry: 'ghcr.io', repository: 'o/app', tag } },
    source: `ghcr.io/o/app:${tag}`,
    entry: { mediaType, digest: d, size: 1000 + tag.length, platform },
    attestations,
    // Assembling never touches the registry: no client is needed.
    origin: undefined as unknown as RepositoryClient
  }
}

function attestation(d: string, of: string): Descriptor {
  return {
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    digest: d,
    size: 566,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': of
    }
  }
}

const amd64Docker = source('v1-linux-amd64', MEDIA_TYPE_DOCKER_MANIFEST, digest('1'), {
  architecture: 'amd64',
  os: 'linux'
})
const arm64Docker = source('v1-linux-arm64', MEDIA_TYPE_DOCKER_MANIFEST, digest('2'), {
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8'
})
const amd64Oci = source(
  'v1-linux-amd64',
  MEDIA_TYPE_OCI_MANIFEST,
  digest('3'),
  { architecture: 'amd64', os: 'linux' },
  [attestation(digest('a'), digest('3'))]
)
const arm64Oci = source(
  'v1-linux-arm64',
  MEDIA_TYPE_OCI_MANIFEST,
  digest('4'),
  { architecture: 'arm64', os: 'linux' },
  [attestation(digest('b'), digest('4'))]
)
const winOci = source('v1-windows-ltsc2022-amd64', MEDIA_TYPE_OCI_MANIFEST, digest('5'), {
  architecture: 'amd64',
  os: 'windows',
  'os.version': '10.0.20348.3453'
})

describe('chooseIndexMediaType', () => {
  const docker: Descriptor = { mediaType: MEDIA_TYPE_DOCKER_MANIFEST, digest: digest('1'), size: 1 }
  const oci: Descriptor = { mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: digest('2'), size: 1 }
  const att = attestation(digest('3'), digest('1'))

  it('auto: every child a Docker v2 manifest → Docker manifest list', () => {
    expect(chooseIndexMediaType('auto', [docker, { ...docker, digest: digest('9') }])).toBe(
      MEDIA_TYPE_DOCKER_LIST
    )
  })
  it('auto: any OCI manifest → OCI index', () => {
    expect(chooseIndexMediaType('auto', [docker, oci])).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(chooseIndexMediaType('auto', [oci])).toBe(MEDIA_TYPE_OCI_INDEX)
  })
  it('auto: Docker images with an attestation manifest → OCI index', () => {
    expect(chooseIndexMediaType('auto', [docker, att])).toBe(MEDIA_TYPE_OCI_INDEX)
  })
  it('oci forces an OCI index even over Docker children', () => {
    expect(chooseIndexMediaType('oci', [docker])).toBe(MEDIA_TYPE_OCI_INDEX)
  })
  it('docker forces a Docker list even over OCI children', () => {
    expect(chooseIndexMediaType('docker', [oci])).toBe(MEDIA_TYPE_DOCKER_LIST)
  })
})

describe('indexEntries', () => {
  it('is the sources in order, each image followed by its attestations', () => {
    expect(indexEntries([arm64Oci, winOci, amd64Oci]).map((e) => e.digest)).toEqual([
      digest('4'),
      digest('b'),
      digest('5'),
      digest('3'),
      digest('a')
    ])
  })
})

describe('assembleIndex', () => {
  it('builds an OCI index in source order with attestations after their image', () => {
    const index = assembleIndex([amd64Oci, arm64Oci, winOci], 'auto', {
      'org.opencontainers.image.source': 'https://github.com/o/app'
    })
    expect(index.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(index.document.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(index.document.schemaVersion).toBe(2)
    expect(index.document.manifests.map((m) => m.digest)).toEqual([
      digest('3'),
      digest('a'),
      digest('4'),
      digest('b'),
      digest('5')
    ])
    expect(index.document.manifests[4].platform).toEqual({
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.20348.3453'
    })
    // attestations keep their annotations in an OCI index
    expect(index.document.manifests[1].annotations).toEqual({
      'vnd.docker.reference.digest': digest('3'),
      'vnd.docker.reference.type': 'attestation-manifest'
    })
    expect(index.document.annotations).toEqual({
      'org.opencontainers.image.source': 'https://github.com/o/app'
    })
  })

  it('builds a Docker list from Docker v2 sources under auto, platforms copied as read', () => {
    const index = assembleIndex([amd64Docker, arm64Docker], 'auto', {})
    expect(index.mediaType).toBe(MEDIA_TYPE_DOCKER_LIST)
    expect(index.document.manifests).toEqual([
      {
        mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
        digest: digest('1'),
        size: amd64Docker.entry.size,
        platform: { architecture: 'amd64', os: 'linux' }
      },
      {
        mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
        digest: digest('2'),
        size: arm64Docker.entry.size,
        platform: { architecture: 'arm64', os: 'linux', variant: 'v8' }
      }
    ])
    expect(index.document.annotations).toBeUndefined()
  })

  it('hashes exactly the bytes it returns, and the bytes are the document', () => {
    const index = assembleIndex([amd64Oci, arm64Oci], 'oci', { b: '2', a: '1' })
    expect(index.digest).toBe(`sha256:${createHash('sha256').update(index.bytes).digest('hex')}`)
    expect(index.size).toBe(index.bytes.length)
    expect(JSON.parse(index.bytes.toString('utf8'))).toEqual(index.document)
  })

  it('is deterministic: same sources give the same digest, whatever the annotation order', () => {
    const first = assembleIndex([amd64Oci, arm64Oci], 'oci', { b: '2', a: '1' })
    const second = assembleIndex([amd64Oci, arm64Oci], 'oci', { a: '1', b: '2' })
    expect(second.digest).toBe(first.digest)
    expect(second.bytes.equals(first.bytes)).toBe(true)
  })

  it('source order changes the index', () => {
    expect(assembleIndex([arm64Oci, amd64Oci], 'oci', {}).digest).not.toBe(
      assembleIndex([amd64Oci, arm64Oci], 'oci', {}).digest
    )
  })

  it('oci over Docker v2 sources gives an OCI index with annotations', () => {
    const index = assembleIndex([amd64Docker, arm64Docker], 'oci', { a: '1' })
    expect(index.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(index.document.annotations).toEqual({ a: '1' })
  })

  it('annotations under auto with Docker v2 sources: INDEX_INVALID saying auto chose a Docker list', () => {
    let thrown: unknown
    try {
      assembleIndex([amd64Docker, arm64Docker], 'auto', { 'org.opencontainers.image.source': 'x' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(PublishError)
    const error = thrown as PublishError
    expect(error.code).toBe('INDEX_INVALID')
    expect(error.message).toMatch(
      /cannot build the index: a Docker manifest list cannot carry annotations; use media-type: oci/
    )
    expect(error.message).toMatch(
      /media-type auto chose a Docker list because every source is a Docker v2 manifest/
    )
    expect(error.message).toMatch(/nothing was written$/)
  })

  it('forced docker with attestations: INDEX_INVALID naming entry annotations, no auto explanation', () => {
    let thrown: unknown
    try {
      assembleIndex([amd64Oci], 'docker', {})
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(PublishError)
    const error = thrown as PublishError
    expect(error.code).toBe('INDEX_INVALID')
    expect(error.message).toMatch(
      /cannot carry entry annotations \(attestation manifests need them\); use media-type: oci/
    )
    expect(error.message).not.toMatch(/media-type auto/)
  })

  it('forced docker with index annotations: INDEX_INVALID', () => {
    expect(() => assembleIndex([amd64Docker], 'docker', { a: '1' })).toThrow(
      /cannot carry annotations; use media-type: oci; nothing was written/
    )
  })
})
