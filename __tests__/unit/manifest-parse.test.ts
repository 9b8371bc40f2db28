/**
 * src/oci/manifest-parse.ts: manifests are checked against what the registry said they are
 * (docs/registry-protocol.md B.2), and image configs are reduced to their platform fields.
 */
import { describe, it, expect } from '@jest/globals'
import {
  ManifestFormatError,
  isDockerImageManifest,
  isDockerList,
  parseImageConfig,
  parseManifest
} from '../../src/oci/manifest-parse.js'
import {
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST
} from '../../src/oci/media-types.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

const json = (value: unknown) => Buffer.from(JSON.stringify(value))

const ociIndex = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPE_OCI_INDEX,
  manifests: [
    {
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      digest: A,
      size: 10,
      platform: { os: 'linux', architecture: 'amd64' }
    }
  ]
}
const dockerManifest = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
  config: { mediaType: MEDIA_TYPE_DOCKER_CONFIG, digest: A, size: 100 },
  layers: [
    { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: B, size: 1000 }
  ]
}

describe('parseManifest', () => {
  it('reads an OCI index served as one', () => {
    const parsed = parseManifest(json(ociIndex), MEDIA_TYPE_OCI_INDEX)
    expect(parsed.kind).toBe('index')
    expect(parsed.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(parsed.document).toEqual(ociIndex)
  })

  it('reads a Docker v2 manifest served as one', () => {
    const parsed = parseManifest(json(dockerManifest), MEDIA_TYPE_DOCKER_MANIFEST)
    expect(parsed).toEqual({
      kind: 'image',
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
      document: dockerManifest
    })
  })

  it('reads a Docker manifest list', () => {
    const list = { ...ociIndex, mediaType: MEDIA_TYPE_DOCKER_LIST }
    expect(parseManifest(json(list), MEDIA_TYPE_DOCKER_LIST)).toMatchObject({
      kind: 'index',
      mediaType: MEDIA_TYPE_DOCKER_LIST
    })
  })

  it('rejects a body whose mediaType disagrees with Content-Type, naming both', () => {
    expect(() => parseManifest(json(ociIndex), MEDIA_TYPE_DOCKER_LIST)).toThrow(ManifestFormatError)
    expect(() => parseManifest(json(ociIndex), MEDIA_TYPE_DOCKER_LIST)).toThrow(
      `the body says mediaType ${MEDIA_TYPE_OCI_INDEX} but Content-Type is ${MEDIA_TYPE_DOCKER_LIST}`
    )
  })

  it('ignores Content-Type parameters and case', () => {
    expect(parseManifest(json(ociIndex), `${MEDIA_TYPE_OCI_INDEX}; charset=utf-8`).mediaType).toBe(
      MEDIA_TYPE_OCI_INDEX
    )
    expect(parseManifest(json(ociIndex), 'Application/VND.OCI.Image.Index.v1+json').mediaType).toBe(
      MEDIA_TYPE_OCI_INDEX
    )
  })

  it('takes the type from Content-Type when the body has no mediaType', () => {
    const { mediaType: _omit, ...bare } = ociIndex
    expect(parseManifest(json(bare), MEDIA_TYPE_OCI_INDEX)).toMatchObject({
      kind: 'index',
      mediaType: MEDIA_TYPE_OCI_INDEX
    })
  })

  it('infers an OCI index or manifest from the shape when neither side says', () => {
    const { mediaType: _a, ...bareIndex } = ociIndex
    expect(parseManifest(json(bareIndex), undefined)).toMatchObject({
      kind: 'index',
      mediaType: MEDIA_TYPE_OCI_INDEX
    })
    expect(parseManifest(json(bareIndex), 'application/octet-stream')).toMatchObject({
      mediaType: MEDIA_TYPE_OCI_INDEX
    })
    const { mediaType: _b, ...bareManifest } = {
      ...dockerManifest,
      config: { ...dockerManifest.config, mediaType: MEDIA_TYPE_OCI_CONFIG }
    }
    expect(parseManifest(json(bareManifest), 'text/plain')).toMatchObject({
      kind: 'image',
      mediaType: MEDIA_TYPE_OCI_MANIFEST
    })
  })

  it('trusts the body mediaType over an unknown Content-Type (treated as unknown: B.2)', () => {
    expect(parseManifest(json(dockerManifest), 'text/plain').mediaType).toBe(
      MEDIA_TYPE_DOCKER_MANIFEST
    )
  })

  it.each([
    [
      'schemaVersion 1',
      { schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] },
      /unsupported schemaVersion 1 \(need 2\)/
    ],
    [
      'no schemaVersion',
      { mediaType: MEDIA_TYPE_OCI_INDEX, manifests: [] },
      /unsupported schemaVersion undefined/
    ],
    [
      'schemaVersion as a string',
      { ...ociIndex, schemaVersion: '2' },
      /unsupported schemaVersion "2"/
    ],
    ['a JSON array', [ociIndex], /not a JSON object/],
    ['JSON null', null, /not a JSON object/],
    [
      'an unknown mediaType',
      { ...ociIndex, mediaType: 'application/vnd.example+json' },
      /unsupported manifest media type application\/vnd.example\+json/
    ],
    ['neither manifests nor config', { schemaVersion: 2 }, /unsupported manifest media type/],
    [
      'an index without manifests',
      { schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX },
      /without a manifests list/
    ],
    [
      'an image manifest without layers',
      { schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, config: dockerManifest.config },
      /without a layers list/
    ],
    [
      'an image manifest without config',
      { schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, layers: [] },
      /config is not a descriptor/
    ],
    [
      'a descriptor without digest',
      { ...ociIndex, manifests: [{ mediaType: MEDIA_TYPE_OCI_MANIFEST, size: 1 }] },
      /manifests\[0\] is not a descriptor/
    ],
    [
      'a descriptor without size',
      {
        ...ociIndex,
        manifests: [ociIndex.manifests[0], { mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: A }]
      },
      /manifests\[1\] is not a descriptor/
    ],
    [
      'a descriptor with a string size',
      { ...ociIndex, manifests: [{ mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: A, size: '1' }] },
      /manifests\[0\] is not a descriptor/
    ],
    [
      'a descriptor without mediaType',
      { ...ociIndex, manifests: [{ digest: A, size: 1 }] },
      /manifests\[0\] is not a descriptor/
    ],
    ['a null descriptor', { ...ociIndex, manifests: [null] }, /manifests\[0\] is not a descriptor/]
  ])('rejects %s', (_name, body, message) => {
    expect(() => parseManifest(json(body), undefined)).toThrow(ManifestFormatError)
    expect(() => parseManifest(json(body), undefined)).toThrow(message)
  })

  it('rejects bytes that are not JSON', () => {
    expect(() =>
      parseManifest(Buffer.from('<html>502 Bad Gateway</html>'), MEDIA_TYPE_OCI_INDEX)
    ).toThrow('the manifest is not valid JSON')
    expect(() => parseManifest(Buffer.from(''), MEDIA_TYPE_OCI_INDEX)).toThrow(ManifestFormatError)
  })

  it('says which Content-Type it could not use', () => {
    expect(() => parseManifest(json({ schemaVersion: 2 }), 'application/json')).toThrow(
      'unsupported manifest media type application/json'
    )
    expect(() => parseManifest(json({ schemaVersion: 2 }), undefined)).toThrow(
      'unsupported manifest media type (none)'
    )
  })
})

describe('isDockerImageManifest / isDockerList', () => {
  it('recognise only the Docker types', () => {
    expect(isDockerImageManifest(MEDIA_TYPE_DOCKER_MANIFEST)).toBe(true)
    expect(isDockerImageManifest(MEDIA_TYPE_OCI_MANIFEST)).toBe(false)
    expect(isDockerList(MEDIA_TYPE_DOCKER_LIST)).toBe(true)
    expect(isDockerList(MEDIA_TYPE_OCI_INDEX)).toBe(false)
  })
})

describe('parseImageConfig', () => {
  it('keeps only the platform fields and created', () => {
    const config = {
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.20348.3453',
      'os.features': ['win32k'],
      variant: 'v2',
      created: '2025-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/bin'] },
      rootfs: { type: 'layers', diff_ids: [A] },
      history: [{ created_by: 'x' }]
    }
    expect(parseImageConfig(json(config))).toEqual({
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.20348.3453',
      'os.features': ['win32k'],
      variant: 'v2',
      created: '2025-01-01T00:00:00Z'
    })
  })

  it.each(['yesterday', '2025-13-45T00:00:00Z', '<b>2025-01-01T00:00:00Z</b>', 7])(
    'leaves out a created that is not an RFC 3339 date: %p',
    (created) => {
      expect(parseImageConfig(json({ os: 'linux', architecture: 'amd64', created }))).toEqual({
        os: 'linux',
        architecture: 'amd64'
      })
    }
  )

  it('takes null as absent and rejects fields of the wrong type, naming them', () => {
    expect(parseImageConfig(json({ os: 'linux', architecture: 'arm', variant: null }))).toEqual({
      os: 'linux',
      architecture: 'arm'
    })
    expect(() => parseImageConfig(json({ os: 'linux', architecture: 7 }))).toThrow(
      "the image config's architecture number is not a platform name"
    )
    expect(() =>
      parseImageConfig(json({ os: 'linux', architecture: 'amd64', 'os.features': ['a', 1] }))
    ).toThrow("the image config's os.features number is not a feature name")
    expect(parseImageConfig(json({}))).toEqual({})
  })

  it('rejects non-JSON and non-objects', () => {
    expect(() => parseImageConfig(Buffer.from('nope'))).toThrow(
      'the image config is not valid JSON'
    )
    expect(() => parseImageConfig(json(['linux']))).toThrow('the image config is not a JSON object')
  })
})
