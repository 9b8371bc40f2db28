/**
 * Sources that live in another repository or registry: an index can only
 * reference manifests of its own repository (distribution checks every child there:
 * docs/registry-protocol.md §B.3), so each such child is brought into the target first — its
 * blobs mounted (same registry) or streamed across (another registry), skipping blobs the
 * target has, then its exact manifest bytes PUT by digest. Attestation manifests go along.
 */
import { parseManifest } from '../oci/manifest-parse.js'
import type { Descriptor } from '../oci/types.js'
import type { RepositoryClient } from '../registry/api/client.js'
import type { Logger } from '../registry/base/logger.js'
import { formatReference, repositoryName } from '../registry/base/reference.js'
import { mapBounded } from '../registry/base/semaphore.js'
import { PublishError } from './errors.js'
import type { ResolvedSource } from './resolve.js'

/** Blob copies in flight for one manifest. */
const BLOB_CONCURRENCY = 4

/** True when the source was read from another repository than the target. */
function isForeign(source: ResolvedSource, target: RepositoryClient): boolean {
  return repositoryName(source.origin) !== repositoryName(target)
}

/** What importing would do, for dry-run and the log. */
export function foreignManifests(
  sources: readonly ResolvedSource[],
  target: RepositoryClient
): Array<{ source: ResolvedSource; manifest: Descriptor }> {
  return sources
    .filter((s) => isForeign(s, target))
    .flatMap((s) => [s.entry, ...s.attestations].map((manifest) => ({ source: s, manifest })))
}

/** Copy one manifest (and its blobs) from `origin` into `target`, unless it is there already. */
async function importManifest(
  target: RepositoryClient,
  origin: RepositoryClient,
  digest: string,
  logger: Logger
): Promise<'present' | 'imported'> {
  if (await target.headManifest(digest)) return 'present'
  const fetched = await origin.getManifest(digest)
  const from = formatReference({ registry: origin.registry, repository: origin.repository, digest })
  if (!fetched)
    throw new PublishError(
      'CHILD_MISSING',
      `${from} disappeared before it could be copied into ${repositoryName(target)}`
    )
  const parsed = parseManifest(fetched.bytes, fetched.mediaType)
  if (parsed.kind !== 'image')
    throw new PublishError('SOURCE_INVALID', `${from} is an index; only image manifests are copied`)
  const blobs = [parsed.document.config, ...parsed.document.layers]
  const outcomes = await mapBounded(blobs, BLOB_CONCURRENCY, (blob) =>
    target.copyBlob(origin, { digest: blob.digest, size: blob.size })
  )
  const tally = outcomes.reduce<Record<string, number>>(
    (acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }),
    {}
  )
  await target.putManifest(digest, fetched.mediaType, fetched.bytes)
  logger.info(
    `${from} → ${repositoryName(target)}: blobs ${Object.entries(tally)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; manifest put by digest`
  )
  return 'imported'
}

/** Bring every foreign child into the target; returns how many manifests were copied. */
export async function importForeignSources(
  target: RepositoryClient,
  sources: readonly ResolvedSource[],
  logger: Logger
): Promise<number> {
  let imported = 0
  for (const { source, manifest } of foreignManifests(sources, target)) {
    if ((await importManifest(target, source.origin, manifest.digest, logger)) === 'imported')
      imported++
  }
  return imported
}
