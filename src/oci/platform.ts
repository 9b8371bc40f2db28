/**
 * Platforms as users write them and as pullers match them.
 *
 * Written form (containerd's): `os[(os.version)]/architecture[/variant]`, e.g. `linux/arm64`,
 * `linux/arm/v7`, `windows(10.0.20348)/amd64`. We also accept a Windows release name in the
 * parentheses (`windows(ltsc2022)/amd64`), the way release tags name Windows images.
 *
 * Matching follows containerd/platforms (docs/registry-protocol.md B.10): os lower-cased,
 * architecture aliases folded, and the variant normalised per architecture, so that
 * `arm64` ≡ `arm64/v8` and `arm` ≡ `arm/v7`.
 */
import type { Platform } from './types.js'

/**
 * Windows Server LTSC releases and their build numbers (containerd/platforms
 * platform_windows_compat.go). The build is the third part of os.version: 10.0.<build>.<rev>.
 */
export const WINDOWS_RELEASE_BUILDS: Readonly<Record<string, string>> = {
  ltsc2019: '17763',
  ltsc2022: '20348',
  ltsc2025: '26100'
}

/** A platform the user expects, as parsed from the `platforms` input. */
export interface ExpectedPlatform {
  /** As the user wrote it, trimmed. */
  text: string
  os: string
  architecture: string
  /** As written (not normalised): it is what the source tag is named with. */
  variant?: string
  /** `10.0.20348` or a full `10.0.20348.3453`; set for a release name too. */
  osVersion?: string
  /** Windows release name (`ltsc2022`), from the input or derived from the build. */
  release?: string
}

/** Thrown for a platform string that cannot be parsed; the caller names the input. */
export class PlatformSyntaxError extends Error {
  override name = 'PlatformSyntaxError'
}

const COMPONENT = /^[a-z0-9_.-]+$/
const OS_VERSION = /^\d+(?:\.\d+){1,3}$/

/** Parse `os[(version)]/arch[/variant]`. Throws PlatformSyntaxError naming what is wrong. */
export function parsePlatform(text: string): ExpectedPlatform {
  const trimmed = text.trim()
  const match = /^([^/()]+)(?:\(([^()]*)\))?\/([^/()]+)(?:\/([^/()]+))?$/.exec(trimmed)
  if (!match) {
    throw new PlatformSyntaxError(
      `'${text}' is not a platform; expected os/arch[/variant] or os(version)/arch, e.g. linux/arm64, linux/arm/v7, windows(ltsc2022)/amd64`
    )
  }
  const os = match[1].toLowerCase()
  const architecture = match[3].toLowerCase()
  const variant = match[4]?.toLowerCase()
  for (const [what, value] of [
    ['os', os],
    ['architecture', architecture],
    ['variant', variant]
  ] as const) {
    if (value !== undefined && !COMPONENT.test(value)) {
      throw new PlatformSyntaxError(
        `'${text}': ${what} '${value}' has characters other than a-z 0-9 _ . -`
      )
    }
  }
  const platform: ExpectedPlatform = { text: trimmed, os, architecture }
  if (variant) platform.variant = variant
  const version = match[2]?.trim().toLowerCase()
  if (match[2] !== undefined) {
    if (!version) throw new PlatformSyntaxError(`'${text}': empty os version in parentheses`)
    if (os !== 'windows') {
      throw new PlatformSyntaxError(
        `'${text}': an os version in parentheses is only meaningful for windows`
      )
    }
    const build = WINDOWS_RELEASE_BUILDS[version]
    if (build) {
      platform.release = version
      platform.osVersion = `10.0.${build}`
    } else if (OS_VERSION.test(version)) {
      platform.osVersion = version
      const release = windowsReleaseForVersion(version)
      if (release) platform.release = release
    } else {
      throw new PlatformSyntaxError(
        `'${text}': '${version}' is neither a Windows release (${Object.keys(WINDOWS_RELEASE_BUILDS).join(', ')}) nor an os.version like 10.0.20348`
      )
    }
  }
  return platform
}

/** The LTSC release name whose build matches this os.version (`10.0.20348.1` → ltsc2022). */
export function windowsReleaseForVersion(osVersion: string): string | undefined {
  const build = osVersion.split('.')[2]
  return Object.keys(WINDOWS_RELEASE_BUILDS).find((name) => WINDOWS_RELEASE_BUILDS[name] === build)
}

/** containerd's architecture aliases (platforms.go normalizeArch). */
function normalizeArchVariant(architecture: string, variant: string | undefined): [string, string] {
  let arch = architecture.toLowerCase()
  let v = (variant ?? '').toLowerCase()
  switch (arch) {
    case 'i386':
      arch = '386'
      v = ''
      break
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      arch = 'amd64'
      if (v === 'v1') v = ''
      break
    case 'aarch64':
    case 'arm64':
      arch = 'arm64'
      if (v === '8' || v === 'v8' || v === 'v8.0') v = ''
      break
    case 'armhf':
      arch = 'arm'
      v = 'v7'
      break
    case 'armel':
      arch = 'arm'
      v = 'v6'
      break
    case 'arm':
      if (v === '') v = 'v7'
      else if (/^\d+$/.test(v)) v = `v${v}`
      break
  }
  return [arch, v]
}

/** os, architecture and variant after containerd's normalisation, as one comparable key. */
export function normalizedPlatformKey(p: {
  os: string
  architecture: string
  variant?: string
}): string {
  const os = p.os.toLowerCase() === 'macos' ? 'darwin' : p.os.toLowerCase()
  const [arch, variant] = normalizeArchVariant(p.architecture, p.variant)
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`
}

/** The full identity of an index entry: normalised os/arch/variant plus os.version. */
export function fullPlatformKey(p: Platform): string {
  const base = normalizedPlatformKey(p)
  return p['os.version'] ? `${base}@${p['os.version']}` : base
}

/** The key under which two *expected* platforms collide (os.version compared as written). */
export function expectedPlatformKey(p: ExpectedPlatform): string {
  const base = normalizedPlatformKey(p)
  return p.osVersion ? `${base}@${p.osVersion}` : base
}

/**
 * Why an actual platform (from an image config) is not the expected one, or undefined when
 * it matches. os.version: every part the user gave must equal the config's (a release name
 * fixes the build: ltsc2019 = 10.0.17763), and a Windows image without os.version does not
 * match an expected version (an empty os.version matches every host: B.10).
 */
export function platformMismatch(expected: ExpectedPlatform, actual: Platform): string | undefined {
  const want = normalizedPlatformKey(expected)
  const got = normalizedPlatformKey(actual)
  if (want !== got) return `expected ${want}, the image config says ${formatPlatform(actual)}`
  if (expected.osVersion) {
    const actualVersion = actual['os.version']
    if (!actualVersion) {
      return `expected os.version ${expected.osVersion}${expected.release ? ` (${expected.release})` : ''}, the image config has no os.version`
    }
    const wantParts = expected.osVersion.split('.')
    const gotParts = actualVersion.split('.')
    if (wantParts.some((part, i) => gotParts[i] !== part)) {
      const gotRelease = windowsReleaseForVersion(actualVersion)
      return `expected os.version ${expected.osVersion}${expected.release ? ` (${expected.release})` : ''}, the image config says ${actualVersion}${gotRelease ? ` (${gotRelease})` : ''}`
    }
  }
  return undefined
}

/** `os(os.version)/architecture/variant`, the form of the `platforms` input. */
export function formatPlatform(p: Platform): string {
  const os = p['os.version'] ? `${p.os}(${p['os.version']})` : p.os
  return p.variant ? `${os}/${p.architecture}/${p.variant}` : `${os}/${p.architecture}`
}

/**
 * The platform an index entry gets: the config's fields copied as they are (docs/design.md §3:
 * an arm64 config that says v8 gives an entry with v8; os.version in full). Empty strings
 * and empty lists are left out so the bytes stay minimal and deterministic.
 */
export function platformFromConfig(config: {
  os?: string
  architecture?: string
  variant?: string
  'os.version'?: string
  'os.features'?: string[]
}): Platform | undefined {
  if (!config.os || !config.architecture) return undefined
  const platform: Platform = { architecture: config.architecture, os: config.os }
  if (config['os.version']) platform['os.version'] = config['os.version']
  if (config['os.features'] && config['os.features'].length > 0) {
    platform['os.features'] = [...config['os.features']]
  }
  if (config.variant) platform.variant = config.variant
  return platform
}

/** True for BuildKit's attestation entries (platform unknown/unknown). */
export function isUnknownPlatform(p: Platform | undefined): boolean {
  return p?.os === 'unknown' && p.architecture === 'unknown'
}
