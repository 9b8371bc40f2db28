/**
 * src/oci/platform.ts: the `platforms` input syntax, containerd's normalisation
 * (docs/registry-protocol.md B.10) and the expected-vs-config check of docs/design.md §3 "Check".
 */
import { describe, it, expect } from '@jest/globals'
import {
  PlatformSyntaxError,
  WINDOWS_RELEASE_BUILDS,
  expectedPlatformKey,
  formatPlatform,
  fullPlatformKey,
  isUnknownPlatform,
  normalizedPlatformKey,
  parsePlatform,
  platformFromConfig,
  platformMismatch,
  windowsReleaseForVersion
} from '../../src/oci/platform.js'

describe('parsePlatform', () => {
  it('parses os/arch', () => {
    expect(parsePlatform('linux/amd64')).toEqual({
      text: 'linux/amd64',
      os: 'linux',
      architecture: 'amd64'
    })
  })

  it('parses os/arch/variant and keeps the variant as written', () => {
    expect(parsePlatform('linux/arm/v7')).toEqual({
      text: 'linux/arm/v7',
      os: 'linux',
      architecture: 'arm',
      variant: 'v7'
    })
    expect(parsePlatform('linux/arm64/v8').variant).toBe('v8')
  })

  it('turns a Windows release name into its build and keeps the name', () => {
    expect(parsePlatform('windows(ltsc2019)/amd64')).toEqual({
      text: 'windows(ltsc2019)/amd64',
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763',
      release: 'ltsc2019'
    })
    expect(parsePlatform('windows(ltsc2022)/amd64').osVersion).toBe('10.0.20348')
    expect(parsePlatform('windows(ltsc2025)/amd64').osVersion).toBe('10.0.26100')
  })

  it('derives the release name from a full os.version', () => {
    expect(parsePlatform('windows(10.0.20348.3453)/amd64')).toEqual({
      text: 'windows(10.0.20348.3453)/amd64',
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453',
      release: 'ltsc2022'
    })
  })

  it('keeps an os.version of an unnamed build without a release', () => {
    const p = parsePlatform('windows(10.0.19041)/amd64')
    expect(p.osVersion).toBe('10.0.19041')
    expect(p).not.toHaveProperty('release')
  })

  it('lower-cases os, architecture, variant and release name, and trims', () => {
    expect(parsePlatform('  Linux/ARM64/V8 ')).toEqual({
      text: 'Linux/ARM64/V8',
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8'
    })
    const win = parsePlatform('Windows(LTSC2022)/AMD64')
    expect(win).toMatchObject({
      os: 'windows',
      architecture: 'amd64',
      release: 'ltsc2022',
      osVersion: '10.0.20348'
    })
  })

  it.each([
    ['', /is not a platform/],
    ['linux', /is not a platform/],
    ['linux/', /is not a platform/],
    ['/amd64', /is not a platform/],
    ['(x)/amd64', /is not a platform/],
    ['linux/arm/v7/extra', /is not a platform/],
    ['linux//amd64', /is not a platform/],
    ['linux(10.0.1)/amd64', /only meaningful for windows/],
    ['windows()/amd64', /empty os version/],
    [
      'windows(ltsc2099)/amd64',
      /'ltsc2099' is neither a Windows release \(ltsc2019, ltsc2022, ltsc2025\)/
    ],
    ['windows(10)/amd64', /neither a Windows release/],
    ['linux/amd 64', /architecture 'amd 64' has characters/],
    ['lin ux/amd64', /os 'lin ux' has characters/],
    ['linux/arm/v7!', /variant 'v7!' has characters/]
  ])('rejects %j', (text, message) => {
    expect(() => parsePlatform(text)).toThrow(PlatformSyntaxError)
    expect(() => parsePlatform(text)).toThrow(message)
  })

  it('names the offending text in the error', () => {
    expect(() => parsePlatform('linux')).toThrow("'linux' is not a platform")
  })
})

describe('windowsReleaseForVersion', () => {
  it('maps each LTSC build and nothing else', () => {
    for (const [release, build] of Object.entries(WINDOWS_RELEASE_BUILDS)) {
      expect(windowsReleaseForVersion(`10.0.${build}.1`)).toBe(release)
    }
    expect(windowsReleaseForVersion('10.0.17763')).toBe('ltsc2019')
    expect(windowsReleaseForVersion('10.0.19041.1')).toBeUndefined()
    expect(windowsReleaseForVersion('10.0')).toBeUndefined()
  })
})

describe('normalizedPlatformKey (containerd normalisation)', () => {
  const key = (os: string, architecture: string, variant?: string) =>
    normalizedPlatformKey(
      variant === undefined ? { os, architecture } : { os, architecture, variant }
    )

  it.each([
    ['arm64 ≡ arm64/v8', key('linux', 'arm64'), key('linux', 'arm64', 'v8')],
    ['arm64 ≡ aarch64', key('linux', 'arm64'), key('linux', 'aarch64')],
    ['arm64 ≡ arm64/8', key('linux', 'arm64'), key('linux', 'arm64', '8')],
    ['arm64 ≡ arm64/v8.0', key('linux', 'arm64'), key('linux', 'aarch64', 'v8.0')],
    ['arm ≡ arm/v7', key('linux', 'arm'), key('linux', 'arm', 'v7')],
    ['arm/7 ≡ arm/v7', key('linux', 'arm', '7'), key('linux', 'arm', 'v7')],
    ['armhf ≡ arm/v7', key('linux', 'armhf'), key('linux', 'arm', 'v7')],
    ['armel ≡ arm/v6', key('linux', 'armel'), key('linux', 'arm', 'v6')],
    ['x86_64 ≡ amd64', key('linux', 'x86_64'), key('linux', 'amd64')],
    ['amd64/v1 ≡ amd64', key('linux', 'amd64', 'v1'), key('linux', 'amd64')],
    ['i386 ≡ 386', key('linux', 'i386'), key('linux', '386')],
    ['macos ≡ darwin', key('macos', 'arm64'), key('darwin', 'arm64')],
    ['case folded', key('Linux', 'AMD64'), key('linux', 'amd64')]
  ])('%s', (_name, a, b) => {
    expect(a).toBe(b)
  })

  it('gives the canonical spelling', () => {
    expect(key('linux', 'aarch64', 'v8')).toBe('linux/arm64')
    expect(key('linux', 'armhf')).toBe('linux/arm/v7')
    expect(key('linux', 'x86_64')).toBe('linux/amd64')
  })

  it.each([
    ['amd64 ≠ arm64', key('linux', 'amd64'), key('linux', 'arm64')],
    ['arm/v6 ≠ arm/v7', key('linux', 'arm', 'v6'), key('linux', 'arm')],
    ['arm64/v9 ≠ arm64', key('linux', 'arm64', 'v9'), key('linux', 'arm64')],
    ['amd64/v2 ≠ amd64', key('linux', 'amd64', 'v2'), key('linux', 'amd64')],
    ['linux ≠ windows', key('linux', 'amd64'), key('windows', 'amd64')]
  ])('%s', (_name, a, b) => {
    expect(a).not.toBe(b)
  })
})

describe('fullPlatformKey and expectedPlatformKey', () => {
  it('add os.version to the normalised key', () => {
    expect(
      fullPlatformKey({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.1' })
    ).toBe('windows/amd64@10.0.20348.1')
    expect(fullPlatformKey({ os: 'linux', architecture: 'aarch64', variant: 'v8' })).toBe(
      'linux/arm64'
    )
    expect(expectedPlatformKey(parsePlatform('windows(ltsc2022)/amd64'))).toBe(
      'windows/amd64@10.0.20348'
    )
    expect(expectedPlatformKey(parsePlatform('linux/arm64/v8'))).toBe(
      expectedPlatformKey(parsePlatform('linux/arm64'))
    )
  })
})

describe('platformMismatch', () => {
  it('is undefined for a matching config, after normalisation', () => {
    expect(
      platformMismatch(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' })
    ).toBeUndefined()
    expect(
      platformMismatch(parsePlatform('linux/arm64'), {
        os: 'linux',
        architecture: 'arm64',
        variant: 'v8'
      })
    ).toBeUndefined()
    expect(
      platformMismatch(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm' })
    ).toBeUndefined()
  })

  it('names both platforms on an architecture mismatch', () => {
    const why = platformMismatch(parsePlatform('linux/arm64'), {
      os: 'linux',
      architecture: 'amd64'
    })
    expect(why).toBe('expected linux/arm64, the image config says linux/amd64')
  })

  it('names both on a variant mismatch', () => {
    const why = platformMismatch(parsePlatform('linux/arm/v7'), {
      os: 'linux',
      architecture: 'arm',
      variant: 'v6'
    })
    expect(why).toContain('linux/arm/v7')
    expect(why).toContain('linux/arm/v6')
  })

  it('matches a release name against the full os.version of its build', () => {
    expect(
      platformMismatch(parsePlatform('windows(ltsc2019)/amd64'), {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.17763.7009'
      })
    ).toBeUndefined()
  })

  it('names both releases when the build differs', () => {
    const why = platformMismatch(parsePlatform('windows(ltsc2019)/amd64'), {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348'
    })
    expect(why).toBe(
      'expected os.version 10.0.17763 (ltsc2019), the image config says 10.0.20348 (ltsc2022)'
    )
  })

  it('requires every part of a full expected os.version', () => {
    const expected = parsePlatform('windows(10.0.20348.3453)/amd64')
    const config = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.3453' }
    expect(platformMismatch(expected, config)).toBeUndefined()
    expect(platformMismatch(expected, { ...config, 'os.version': '10.0.20348.2340' })).toContain(
      'the image config says 10.0.20348.2340'
    )
  })

  it('fails a Windows config without os.version against an expected release', () => {
    const why = platformMismatch(parsePlatform('windows(ltsc2022)/amd64'), {
      os: 'windows',
      architecture: 'amd64'
    })
    expect(why).toBe(
      'expected os.version 10.0.20348 (ltsc2022), the image config has no os.version'
    )
  })

  it('accepts any os.version when none is expected', () => {
    expect(
      platformMismatch(parsePlatform('windows/amd64'), {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.1.2'
      })
    ).toBeUndefined()
  })

  it('names the os when it differs', () => {
    const why = platformMismatch(parsePlatform('linux/amd64'), {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348.1'
    })
    expect(why).toBe('expected linux/amd64, the image config says windows(10.0.20348.1)/amd64')
  })
})

describe('formatPlatform', () => {
  it('writes the platforms-input form', () => {
    expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64')
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7')
    expect(
      formatPlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.3453' })
    ).toBe('windows(10.0.20348.3453)/amd64')
  })

  it('round-trips through parsePlatform', () => {
    for (const text of ['linux/arm64/v8', 'windows(10.0.17763.7009)/amd64', 'linux/s390x']) {
      const p = parsePlatform(text)
      const platform = {
        os: p.os,
        architecture: p.architecture,
        ...(p.variant ? { variant: p.variant } : {}),
        ...(p.osVersion ? { 'os.version': p.osVersion } : {})
      }
      expect(formatPlatform(platform)).toBe(text)
    }
  })
})

describe('platformFromConfig', () => {
  it('copies variant v8 and the full os.version as they are', () => {
    expect(platformFromConfig({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toEqual({
      architecture: 'arm64',
      os: 'linux',
      variant: 'v8'
    })
    expect(
      platformFromConfig({
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.20348.3453',
        'os.features': ['win32k']
      })
    ).toEqual({
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.20348.3453',
      'os.features': ['win32k']
    })
  })

  it('drops empty strings and empty lists', () => {
    const p = platformFromConfig({
      os: 'linux',
      architecture: 'amd64',
      variant: '',
      'os.version': '',
      'os.features': []
    })
    expect(p).toEqual({ architecture: 'amd64', os: 'linux' })
    expect(Object.keys(p!)).toEqual(['architecture', 'os'])
  })

  it('copies os.features rather than sharing the array', () => {
    const features = ['win32k']
    const p = platformFromConfig({ os: 'windows', architecture: 'amd64', 'os.features': features })
    features.push('changed')
    expect(p!['os.features']).toEqual(['win32k'])
  })

  it('is undefined without os or architecture', () => {
    expect(platformFromConfig({ os: 'linux' })).toBeUndefined()
    expect(platformFromConfig({ architecture: 'amd64' })).toBeUndefined()
    expect(platformFromConfig({})).toBeUndefined()
  })
})

describe('isUnknownPlatform', () => {
  it('is true only for unknown/unknown', () => {
    expect(isUnknownPlatform({ os: 'unknown', architecture: 'unknown' })).toBe(true)
    expect(isUnknownPlatform({ os: 'linux', architecture: 'unknown' })).toBe(false)
    expect(isUnknownPlatform({ os: 'unknown', architecture: 'amd64' })).toBe(false)
    expect(isUnknownPlatform(undefined)).toBe(false)
  })
})
