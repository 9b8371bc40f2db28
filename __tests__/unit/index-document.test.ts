/**
 * src/oci/index-document.ts: canonical bytes and their digest (docs/design.md §3 "Assemble": the
 * same inputs give the same bytes and digest on every run and every machine).
 */
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { IndexBuildError, buildIndexDocument } from '../../src/oci/index-document.js'
import {
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST
} from '../../src/oci/media-types.js'
import type { Descriptor } from '../../src/oci/types.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`

const amd64: Descriptor = {
  mediaType: MEDIA_TYPE_OCI_MANIFEST,
  digest: A,
  size: 525,
  platform: { architecture: 'amd64', os: 'linux' }
}
const windows: Descriptor = {
  mediaType: MEDIA_TYPE_OCI_MANIFEST,
  digest: B,
  size: 1056,
  platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.3453' }
}

/**
 * Written out by hand; its sha256 was computed outside this code (`sha256sum`), so this pins
 * the exact bytes: key order, two-space indentation, trailing newline.
 */
const GOLDEN = `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "${A}",
      "size": 525,
      "platform": {
        "architecture": "amd64",
        "os": "linux"
      }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "${B}",
      "size": 1056,
      "platform": {
        "architecture": "amd64",
        "os": "windows",
        "os.version": "10.0.20348.3453"
      }
    }
  ],
  "annotations": {
    "org.opencontainers.image.source": "https://github.com/microsoft/retina",
    "org.opencontainers.image.version": "v0.0.31"
  }
}
`
const GOLDEN_DIGEST = 'sha256:fd793fcf42e6e7d3e1a0eb93819cf021c5309545b413504c65d43cacb3e38f0e'

describe('buildIndexDocument', () => {
  it('produces the golden bytes and digest for a small OCI index', () => {
    const doc = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [amd64, windows], {
      'org.opencontainers.image.version': 'v0.0.31',
      'org.opencontainers.image.source': 'https://github.com/microsoft/retina'
    })
    expect(doc.bytes.toString('utf8')).toBe(GOLDEN)
    expect(doc.digest).toBe(GOLDEN_DIGEST)
    expect(doc.size).toBe(842)
    expect(doc.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
  })

  it('has digest = sha256 of the bytes and size = their length', () => {
    const doc = buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [amd64])
    expect(doc.digest).toBe(`sha256:${createHash('sha256').update(doc.bytes).digest('hex')}`)
    expect(doc.size).toBe(doc.bytes.length)
  })

  it('gives identical bytes and digest for the same input twice', () => {
    const entries = [amd64, windows]
    const one = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, entries, { b: '2', a: '1' })
    const two = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, entries, { b: '2', a: '1' })
    expect(two.bytes.equals(one.bytes)).toBe(true)
    expect(two.digest).toBe(one.digest)
  })

  it('fixes key order whatever the order of the input objects', () => {
    const scrambled: Descriptor = {
      platform: { 'os.version': '10.0.20348.3453', os: 'windows', architecture: 'amd64' },
      size: 1056,
      digest: B,
      mediaType: MEDIA_TYPE_OCI_MANIFEST
    }
    const scrambledAmd64: Descriptor = {
      size: 525,
      platform: { os: 'linux', architecture: 'amd64' },
      digest: A,
      mediaType: MEDIA_TYPE_OCI_MANIFEST
    }
    const doc = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [scrambledAmd64, scrambled], {
      'org.opencontainers.image.source': 'https://github.com/microsoft/retina',
      'org.opencontainers.image.version': 'v0.0.31'
    })
    expect(doc.bytes.toString('utf8')).toBe(GOLDEN)
    expect(doc.digest).toBe(GOLDEN_DIGEST)
  })

  it('sorts index and entry annotations by key', () => {
    const attestation: Descriptor = {
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      digest: C,
      size: 840,
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': A
      },
      platform: { architecture: 'unknown', os: 'unknown' }
    }
    const doc = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [amd64, attestation], {
      z: '1',
      m: '2',
      a: '3'
    })
    expect(Object.keys(doc.document.annotations!)).toEqual(['a', 'm', 'z'])
    expect(Object.keys(doc.document.manifests[1].annotations!)).toEqual([
      'vnd.docker.reference.digest',
      'vnd.docker.reference.type'
    ])
    const text = doc.bytes.toString('utf8')
    expect(text.indexOf('"a": "3"')).toBeLessThan(text.indexOf('"m": "2"'))
    expect(text.indexOf('"m": "2"')).toBeLessThan(text.indexOf('"z": "1"'))
  })

  it('keeps entries in the caller order', () => {
    const forward = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [amd64, windows])
    const backward = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [windows, amd64])
    expect(forward.document.manifests.map((m) => m.digest)).toEqual([A, B])
    expect(backward.document.manifests.map((m) => m.digest)).toEqual([B, A])
    expect(backward.digest).not.toBe(forward.digest)
  })

  it('keeps entry annotations in an OCI index', () => {
    const annotated: Descriptor = { ...amd64, annotations: { 'org.example': 'x' } }
    const doc = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [annotated])
    expect(doc.document.manifests[0].annotations).toEqual({ 'org.example': 'x' })
    expect(JSON.parse(doc.bytes.toString('utf8')).manifests[0].annotations).toEqual({
      'org.example': 'x'
    })
  })

  it('leaves out empty annotations, empty os.features, empty variant and fields it does not write', () => {
    const noisy: Descriptor = {
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
      digest: A,
      size: 1,
      annotations: {},
      urls: ['https://example.com/x'],
      artifactType: 'application/x',
      platform: {
        architecture: 'amd64',
        os: 'linux',
        variant: '',
        'os.version': '',
        'os.features': []
      }
    }
    const doc = buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [noisy], {})
    expect(JSON.parse(doc.bytes.toString('utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_DOCKER_LIST,
      manifests: [
        {
          mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
          digest: A,
          size: 1,
          platform: { architecture: 'amd64', os: 'linux' }
        }
      ]
    })
  })

  it('writes the Docker list media type in the body', () => {
    const doc = buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [amd64])
    expect(doc.document.mediaType).toBe(MEDIA_TYPE_DOCKER_LIST)
    expect(doc.bytes.toString('utf8')).toContain(`"mediaType": "${MEDIA_TYPE_DOCKER_LIST}"`)
  })

  it('refuses index annotations on a Docker list', () => {
    expect(() => buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [amd64], { a: '1' })).toThrow(
      IndexBuildError
    )
    expect(() => buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [amd64], { a: '1' })).toThrow(
      /use media-type: oci/
    )
  })

  it('refuses entry annotations on a Docker list', () => {
    const annotated: Descriptor = {
      ...amd64,
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }
    }
    expect(() => buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [amd64, annotated])).toThrow(
      IndexBuildError
    )
    expect(() => buildIndexDocument(MEDIA_TYPE_DOCKER_LIST, [annotated])).toThrow(
      /entry annotations/
    )
  })

  it('does not mutate its inputs', () => {
    const entry: Descriptor = {
      ...windows,
      platform: { ...windows.platform!, 'os.features': ['win32k'] }
    }
    const before = JSON.stringify(entry)
    const doc = buildIndexDocument(MEDIA_TYPE_OCI_INDEX, [entry])
    doc.document.manifests[0].platform!['os.features']!.push('x')
    expect(JSON.stringify(entry)).toBe(before)
  })
})
