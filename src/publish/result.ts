import type { Discovery } from './discover.js'
/**
 * What a run reports: the `result` output document (DESIGN.md §2) and the overall status.
 */

export type ImageStatus = 'created' | 'updated' | 'unchanged' | 'verified' | 'planned' | 'failed'

/** One platform entry of an index, as reported. */
export interface PlatformReport {
  /** `os(os.version)/arch/variant`, from the image config. */
  platform: string
  /** Full source reference (`registry/repo:tag`). */
  source: string
  digest: string
  size: number
  mediaType: string
  /** Verify mode: the index entry differs from what the per-arch tag holds now. */
  stale?: boolean
  /** Attestation manifests kept for this platform (buildx provenance/SBOM). */
  attestations?: number
}

/** How the index differs from the one the tag held before. */
export interface IndexChange {
  added: string[]
  removed: string[]
  changed: string[]
}

export interface ImageReport {
  /** Full repository, e.g. `ghcr.io/o/r`. */
  image: string
  tags: string[]
  digest?: string
  mediaType?: string
  status: ImageStatus
  previousDigest?: string
  platforms: PlatformReport[]
  error?: string
  /** What changed since the previous index (when there was one). */
  changes?: IndexChange
  /** dry-run: what would happen (`create`, `update`, `nothing`). */
  plannedAction?: 'create' | 'update' | 'nothing'
  /** dry-run: the index that would be pushed, as JSON. */
  index?: string
  /** platforms: auto: the tags found and the tags ignored (with why). */
  discovery?: Discovery
}

export interface RunReport {
  images: ImageReport[]
}

/**
 * The step's status: `failed` if any image failed, else `updated` if any was updated, else
 * `created` if any was created, else their common status (DESIGN.md §2).
 */
export function overallStatus(images: readonly ImageReport[]): ImageStatus {
  const statuses = images.map((i) => i.status)
  if (statuses.length === 0 || statuses.includes('failed')) return 'failed'
  if (statuses.includes('updated')) return 'updated'
  if (statuses.includes('created')) return 'created'
  return statuses[0]
}

/**
 * The `result` output: every image with its fields in the order DESIGN.md §2 lists them
 * (JSON readers do not care; people reading a log do).
 */
export function resultDocument(images: readonly ImageReport[]): RunReport {
  return {
    images: images.map((i) => {
      const { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest } =
        i
      return { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest }
    })
  }
}
