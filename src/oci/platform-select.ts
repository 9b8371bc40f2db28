/**
 * Which index entry a puller gets for a platform, as containerd resolves it
 * (containerd/platforms: a matcher over normalised os/arch/variant and a compatible
 * os.version; among matches the first entry wins: image-spec "the first matching entry
 * SHOULD be used"). Used to confirm that the index we pushed resolves as intended.
 */
import { isUnknownPlatform, normalizedPlatformKey } from './platform.js'
import type { Descriptor, Platform } from './types.js'

/**
 * os.version compatibility for an exact-platform pull: an empty version on either side
 * matches (docs/registry-protocol.md B.10); otherwise major.minor.build must agree.
 */
function osVersionCompatible(want: string | undefined, have: string | undefined): boolean {
  if (!want || !have) return true
  const a = want.split('.').slice(0, 3)
  const b = have.split('.').slice(0, 3)
  return a.length === b.length && a.every((part, i) => part === b[i])
}

/** The entries of an index that a puller on `platform` would accept, in index order. */
export function matchingEntries(
  manifests: readonly Descriptor[],
  platform: Platform
): Descriptor[] {
  const want = normalizedPlatformKey(platform)
  return manifests.filter(
    (entry) =>
      entry.platform !== undefined &&
      !isUnknownPlatform(entry.platform) &&
      normalizedPlatformKey(entry.platform) === want &&
      osVersionCompatible(platform['os.version'], entry.platform['os.version'])
  )
}

/** The entry a puller on `platform` gets: the first match, or undefined. */
export function selectEntry(
  manifests: readonly Descriptor[],
  platform: Platform
): Descriptor | undefined {
  return matchingEntries(manifests, platform)[0]
}
