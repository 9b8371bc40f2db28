/** src/oci/media-types.ts */
import { describe, it, expect } from '@jest/globals'
import {
  MANIFEST_ACCEPT,
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  baseMediaType,
  isIndexMediaType,
  isManifestMediaType
} from '../../src/oci/media-types.js'

describe('media type constants', () => {
  it('are the spec strings', () => {
    expect(MEDIA_TYPE_OCI_INDEX).toBe('application/vnd.oci.image.index.v1+json')
    expect(MEDIA_TYPE_OCI_MANIFEST).toBe('application/vnd.oci.image.manifest.v1+json')
    expect(MEDIA_TYPE_OCI_CONFIG).toBe('application/vnd.oci.image.config.v1+json')
    expect(MEDIA_TYPE_DOCKER_LIST).toBe('application/vnd.docker.distribution.manifest.list.v2+json')
    expect(MEDIA_TYPE_DOCKER_MANIFEST).toBe('application/vnd.docker.distribution.manifest.v2+json')
    expect(MEDIA_TYPE_DOCKER_CONFIG).toBe('application/vnd.docker.container.image.v1+json')
  })

  it('accept all four manifest types without q= weights (B.2)', () => {
    expect([...MANIFEST_ACCEPT].sort()).toEqual(
      [
        MEDIA_TYPE_OCI_INDEX,
        MEDIA_TYPE_OCI_MANIFEST,
        MEDIA_TYPE_DOCKER_LIST,
        MEDIA_TYPE_DOCKER_MANIFEST
      ].sort()
    )
    expect(MANIFEST_ACCEPT.join(', ')).not.toContain('q=')
  })
})

describe('isManifestMediaType / isIndexMediaType', () => {
  it('classify the four types', () => {
    for (const t of MANIFEST_ACCEPT) expect(isManifestMediaType(t)).toBe(true)
    expect(isIndexMediaType(MEDIA_TYPE_OCI_INDEX)).toBe(true)
    expect(isIndexMediaType(MEDIA_TYPE_DOCKER_LIST)).toBe(true)
    expect(isIndexMediaType(MEDIA_TYPE_OCI_MANIFEST)).toBe(false)
    expect(isIndexMediaType(MEDIA_TYPE_DOCKER_MANIFEST)).toBe(false)
  })

  it('reject configs, schema 1 and parameters', () => {
    expect(isManifestMediaType(MEDIA_TYPE_OCI_CONFIG)).toBe(false)
    expect(isManifestMediaType('application/vnd.docker.distribution.manifest.v1+prettyjws')).toBe(
      false
    )
    expect(isManifestMediaType(`${MEDIA_TYPE_OCI_INDEX}; charset=utf-8`)).toBe(false)
    expect(isManifestMediaType('')).toBe(false)
  })
})

describe('baseMediaType', () => {
  it('drops parameters, trims and lower-cases', () => {
    expect(baseMediaType(`${MEDIA_TYPE_OCI_INDEX}; charset=utf-8`)).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(baseMediaType(' Application/VND.OCI.image.index.v1+JSON ')).toBe(MEDIA_TYPE_OCI_INDEX)
  })

  it('is empty for a missing header', () => {
    expect(baseMediaType(undefined)).toBe('')
    expect(baseMediaType('')).toBe('')
  })
})
