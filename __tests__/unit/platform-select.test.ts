/**
 * src/oci/platform-select.ts: which entry a puller gets, as containerd resolves it
 * (docs/registry-protocol.md B.10: first match wins, empty os.version matches).
 */
import { describe, it, expect } from '@jest/globals'
import { matchingEntries, selectEntry } from '../../src/oci/platform-select.js'
import type { Descriptor, Platform } from '../../src/oci/types.js'

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

function entry(n: number, platform?: Platform): Descriptor {
  const d: Descriptor = {
    mediaType: MANIFEST,
    digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
    size: 100 + n
  }
  if (platform) d.platform = platform
  return d
}

describe('selectEntry', () => {
  it('takes the entry for the platform', () => {
    const manifests = [
      entry(1, { os: 'linux', architecture: 'amd64' }),
      entry(2, { os: 'linux', architecture: 'arm64' })
    ]
    expect(selectEntry(manifests, { os: 'linux', architecture: 'arm64' })).toBe(manifests[1])
    expect(selectEntry(manifests, { os: 'linux', architecture: 'amd64' })).toBe(manifests[0])
  })

  it('lets the first of several matches win', () => {
    const manifests = [
      entry(1, { os: 'linux', architecture: 'amd64' }),
      entry(2, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      entry(3, { os: 'linux', architecture: 'arm64' })
    ]
    expect(selectEntry(manifests, { os: 'linux', architecture: 'arm64' })).toBe(manifests[1])
    expect(matchingEntries(manifests, { os: 'linux', architecture: 'aarch64' })).toEqual([
      manifests[1],
      manifests[2]
    ])
  })

  it('is undefined when nothing matches', () => {
    const manifests = [entry(1, { os: 'linux', architecture: 'amd64' })]
    expect(selectEntry(manifests, { os: 'linux', architecture: 's390x' })).toBeUndefined()
    expect(selectEntry([], { os: 'linux', architecture: 'amd64' })).toBeUndefined()
  })

  it('never selects an entry without a platform', () => {
    const manifests = [entry(1), entry(2, { os: 'linux', architecture: 'amd64' })]
    expect(selectEntry(manifests, { os: 'linux', architecture: 'amd64' })).toBe(manifests[1])
  })

  it('never selects an unknown/unknown attestation entry, even when asked for it', () => {
    const attestation = entry(9, { os: 'unknown', architecture: 'unknown' })
    const image = entry(1, { os: 'linux', architecture: 'amd64' })
    expect(selectEntry([attestation, image], { os: 'linux', architecture: 'amd64' })).toBe(image)
    expect(selectEntry([attestation], { os: 'unknown', architecture: 'unknown' })).toBeUndefined()
  })

  it('matches an empty os.version on either side', () => {
    const versioned = entry(1, {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348.3453'
    })
    const bare = entry(2, { os: 'windows', architecture: 'amd64' })
    expect(selectEntry([versioned], { os: 'windows', architecture: 'amd64' })).toBe(versioned)
    expect(
      selectEntry([bare], { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' })
    ).toBe(bare)
  })

  it('tells Windows builds apart by major.minor.build, ignoring the revision', () => {
    const ltsc2019 = entry(1, {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.17763.7009'
    })
    const ltsc2022 = entry(2, {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348.3453'
    })
    const manifests = [ltsc2019, ltsc2022]
    expect(
      selectEntry(manifests, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.1' })
    ).toBe(ltsc2022)
    expect(
      selectEntry(manifests, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' })
    ).toBe(ltsc2019)
    expect(
      selectEntry(manifests, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.26100.1' })
    ).toBeUndefined()
  })

  it('does not give a linux puller a windows entry', () => {
    const manifests = [
      entry(1, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.1' })
    ]
    expect(selectEntry(manifests, { os: 'linux', architecture: 'amd64' })).toBeUndefined()
  })
})
