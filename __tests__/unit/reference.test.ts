/**
 * src/registry/base/reference.ts: references normalised as the docker CLI and containerd do
 * (distribution/reference normalize.go; docs/registry-protocol.md B.9 Docker Hub row).
 */
import { describe, it, expect } from '@jest/globals'
import {
  ReferenceSyntaxError,
  formatReference,
  hostnameOf,
  isLoopbackHost,
  isValidTag,
  parseReference,
  parseRepository,
  registryApiHost,
  repositoryName
} from '../../src/registry/base/reference.js'

const D = `sha256:${'0123456789abcdef'.repeat(4)}`

describe('parseReference', () => {
  it.each([
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.19', { registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['library/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['index.docker.io/x/y', { registry: 'docker.io', repository: 'x/y' }],
    ['index.docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['registry-1.docker.io/library/a', { registry: 'docker.io', repository: 'library/a' }],
    ['user/app:v1', { registry: 'docker.io', repository: 'user/app', tag: 'v1' }],
    [
      'ghcr.io/microsoft/retina/retina-agent:v0.0.31',
      { registry: 'ghcr.io', repository: 'microsoft/retina/retina-agent', tag: 'v0.0.31' }
    ],
    ['GHCR.IO/o/r', { registry: 'ghcr.io', repository: 'o/r' }],
    [
      '127.0.0.1:5000/team/app:v1',
      { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v1' }
    ],
    ['registry.example.com:8443/app', { registry: 'registry.example.com:8443', repository: 'app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app:latest', { registry: 'localhost:5000', repository: 'app', tag: 'latest' }],
    ['[::1]:5000/x', { registry: '[::1]:5000', repository: 'x' }],
    ['[::1]/x:v1', { registry: '[::1]', repository: 'x', tag: 'v1' }],
    [`ghcr.io/o/r@${D}`, { registry: 'ghcr.io', repository: 'o/r', digest: D }],
    [`ghcr.io/o/r:v1@${D}`, { registry: 'ghcr.io', repository: 'o/r', tag: 'v1', digest: D }],
    [
      `127.0.0.1:5000/o/r:v1@${D}`,
      { registry: '127.0.0.1:5000', repository: 'o/r', tag: 'v1', digest: D }
    ],
    ['  ghcr.io/o/r:v1  ', { registry: 'ghcr.io', repository: 'o/r', tag: 'v1' }],
    ['ghcr.io/o/my__app.x-y--z', { registry: 'ghcr.io', repository: 'o/my__app.x-y--z' }],
    ['ghcr.io/o/r:V1_x.y-z', { registry: 'ghcr.io', repository: 'o/r', tag: 'V1_x.y-z' }]
  ])('parses %j', (text, expected) => {
    expect(parseReference(text)).toEqual(expected)
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ghcr.io/o/r with space', /whitespace/],
    ['https://ghcr.io/o/r', /URL scheme/],
    ['http://127.0.0.1:5000/o/r', /URL scheme/],
    ['Alpine', /not a valid repository/],
    ['ghcr.io/Owner/repo', /'Owner\/repo' is not a valid repository/],
    ['ghcr.io/o/r:-bad', /'-bad' is not a valid tag/],
    [`ghcr.io/o/r:${'t'.repeat(129)}`, /is not a valid tag/],
    ['ghcr.io/o/r:', /'' is not a valid tag/],
    ['ghcr.io/o/r@sha256:abc', /'sha256:abc' is not a valid digest/],
    ['ghcr.io/o/r@', /not a valid digest/],
    ['ghcr.io/o//r', /not a valid repository/],
    ['ghcr.io/o/r/', /not a valid repository/],
    ['ghcr.io/-o/r', /not a valid repository/],
    ['bad_host.io:5000/o/r', /'bad_host.io:5000' is not a valid registry host/],
    ['[zz]:5000/o', /not a valid registry host/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255/]
  ])('rejects %j', (text, message) => {
    expect(() => parseReference(text)).toThrow(ReferenceSyntaxError)
    expect(() => parseReference(text)).toThrow(message)
  })

  it('accepts a tag of exactly 128 characters', () => {
    expect(parseReference(`ghcr.io/o/r:${'t'.repeat(128)}`).tag).toHaveLength(128)
  })
})

describe('parseRepository', () => {
  it('accepts a repository and normalises it', () => {
    expect(parseRepository('ghcr.io/o/r')).toEqual({ registry: 'ghcr.io', repository: 'o/r' })
    expect(parseRepository('alpine')).toEqual({
      registry: 'docker.io',
      repository: 'library/alpine'
    })
  })

  it('rejects a tag or a digest, saying which', () => {
    expect(() => parseRepository('ghcr.io/o/r:v1')).toThrow(ReferenceSyntaxError)
    expect(() => parseRepository('ghcr.io/o/r:v1')).toThrow("'ghcr.io/o/r:v1' names a tag")
    expect(() => parseRepository(`ghcr.io/o/r@${D}`)).toThrow('names a digest')
    expect(() => parseRepository(`ghcr.io/o/r:v1@${D}`)).toThrow('names a digest')
  })
})

describe('formatting', () => {
  it('formats references and repository names', () => {
    expect(repositoryName({ registry: 'ghcr.io', repository: 'o/r' })).toBe('ghcr.io/o/r')
    expect(formatReference({ registry: 'ghcr.io', repository: 'o/r', tag: 'v1' })).toBe(
      'ghcr.io/o/r:v1'
    )
    expect(formatReference({ registry: 'ghcr.io', repository: 'o/r', digest: D })).toBe(
      `ghcr.io/o/r@${D}`
    )
    expect(formatReference({ registry: 'ghcr.io', repository: 'o/r', tag: 'v1', digest: D })).toBe(
      `ghcr.io/o/r:v1@${D}`
    )
  })

  it('round-trips a parsed reference', () => {
    for (const text of [
      'docker.io/library/alpine:3.19',
      `127.0.0.1:5000/o/r:v1@${D}`,
      '[::1]:5000/x'
    ]) {
      expect(formatReference(parseReference(text))).toBe(text)
    }
  })
})

describe('isValidTag', () => {
  it('follows the distribution tag grammar', () => {
    expect(isValidTag('v0.0.31-windows-ltsc2022-amd64')).toBe(true)
    expect(isValidTag('_x')).toBe(true)
    expect(isValidTag('.x')).toBe(false)
    expect(isValidTag('a/b')).toBe(false)
    expect(isValidTag('')).toBe(false)
  })
})

describe('registryApiHost', () => {
  it('maps Docker Hub to its API host and leaves others alone', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io')
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io')
    expect(registryApiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000')
  })
})

describe('hostnameOf', () => {
  it('drops the port and brackets', () => {
    expect(hostnameOf('127.0.0.1:5000')).toBe('127.0.0.1')
    expect(hostnameOf('ghcr.io')).toBe('ghcr.io')
    expect(hostnameOf('[::1]:5000')).toBe('::1')
    expect(hostnameOf('[::1]')).toBe('::1')
  })
})

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.0.0.1:5000',
    '127.1.2.3:5000',
    'localhost',
    'localhost:5000',
    'LOCALHOST',
    '[::1]',
    '[::1]:5000'
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })

  it.each([
    '10.0.0.1',
    '10.0.0.1:5000',
    '128.0.0.1',
    'ghcr.io',
    'localhost.example.com',
    '127.0.0.1.example.com',
    '[::2]:5000',
    '[fe80::1]'
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false)
  })
})
