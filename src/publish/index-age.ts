/**
 * Is the new index older than the one a tag held? A floating tag (`latest`) that goes back
 * from v0.0.32 to v0.0.31 is worth calling out: a repair of a past release should not drag
 * `latest` along unnoticed.
 *
 * The rule, from what the registry holds and nothing else:
 * 1. both indexes carry `org.opencontainers.image.created` (image-spec annotations.md): the
 *    earlier one is older;
 * 2. else the first platform in both indexes whose image differs: the image configs'
 *    `created` (image-spec config.md) are compared, and the index whose image was built
 *    earlier is older.
 * When neither gives dates, nothing is claimed. Tag names are not compared: a tag's name
 * says nothing certain about which release an index came from.
 */
import { parseImageConfig } from '../oci/manifest-parse.js'
import { normalizedPlatformKey, formatPlatform } from '../oci/platform.js'
import type { RepositoryClient } from '../registry/api/client.js'
import type { ResolvedSource } from './resolve.js'

const CREATED = 'org.opencontainers.image.created'

function validDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined
  const time = Date.parse(value)
  return Number.isFinite(time) ? time : undefined
}

/**
 * Why the new index is older than `previousDigest`, or undefined when it is not (or when
 * the registry gives no dates). Reads the previous index, and at most one of its images and
 * that image's config. Never throws: the age is a note in the report, not a reason to fail.
 */
export async function olderThanPrevious(
  repo: RepositoryClient,
  previousDigest: string,
  annotations: Readonly<Record<string, string>>,
  sources: readonly ResolvedSource[]
): Promise<string | undefined> {
  try {
    const previous = await repo.getManifest(previousDigest)
    if (!previous || previous.parsed.kind !== 'index') return undefined
    const document = previous.parsed.document
    const ours = validDate(annotations[CREATED])
    const theirs = validDate(document.annotations?.[CREATED])
    if (ours !== undefined && theirs !== undefined) {
      return ours < theirs
        ? `its ${CREATED} is ${annotations[CREATED]}, the index it replaces says ${document.annotations?.[CREATED]}`
        : undefined
    }
    for (const source of sources) {
      const key = normalizedPlatformKey(source.entry.platform)
      const before = document.manifests.find(
        (d) => d.platform && normalizedPlatformKey(d.platform) === key
      )
      if (!before || before.digest === source.entry.digest) continue
      const built = validDate(source.created)
      if (built === undefined) return undefined
      const image = await repo.getManifest(before.digest)
      if (!image || image.parsed.kind !== 'image') return undefined
      const config = parseImageConfig(await repo.getBlob(image.parsed.document.config.digest))
      const replaced = validDate(config.created)
      if (replaced === undefined) return undefined
      return built < replaced
        ? `its ${formatPlatform(source.entry.platform)} image was built ${source.created}, the one it replaces ${config.created}`
        : undefined
    }
    return undefined
  } catch {
    return undefined
  }
}
