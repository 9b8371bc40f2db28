import type { Discovery } from './discover.js'
import type { RateLimit } from '../registry/api/rate-limit.js'
/**
 * What a run reports: the `result` output document (docs/design.md §2) and the overall status.
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

/** How the index differs from the one a tag held before. */
export interface IndexChange {
  /** The tag whose previous index this is compared with (the release tag when it moved). */
  comparedWith?: { tag: string; digest: string }
  added: string[]
  removed: string[]
  changed: string[]
}

/**
 * What happened to one tag:
 * - `created`: it held nothing and holds the new index; `moved`: it held another index and
 *   holds the new one; `unchanged`: it already held the new index (nothing written);
 * - `would-create`, `would-move`: the same, planned (dry-run);
 * - `held-back`: a floating tag left where it was because the release is incomplete;
 * - `not-written`: the image failed or was cancelled before this tag's write;
 * - `unknown`: its write was under way when the step failed or was cancelled (it holds the
 *   old index or the new one; a re-run settles it).
 */
export type TagChange =
  | 'created'
  | 'moved'
  | 'unchanged'
  | 'would-create'
  | 'would-move'
  | 'held-back'
  | 'not-written'
  | 'unknown'

/** One tag of an image: what it held, what happened, what it holds now. */
export interface TagReport {
  tag: string
  /** `release` for the release tag, `floating` for the extra `tags`. */
  role: 'release' | 'floating'
  change: TagChange
  /** What the tag held before the run: a digest, or null for nothing; absent when not read. */
  previousDigest?: string | null
  /** What the tag holds now, as far as the run knows: a digest or null; absent when unknown. */
  digest?: string | null
  /** Set when the tag moves (or would) to an index older than the one it held: why. */
  older?: string
}

/** A per-arch image that was not found or is not what its tag says. */
export interface SourceProblem {
  /** The expected platform (absent for `sources`). */
  platform?: string
  source: string
  problem: 'missing' | 'wrong'
  detail: string
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
  /** Every tag: created, moved (from which digest), unchanged, held back, or not written. */
  tagResults?: TagReport[]
  /** A failure: the per-arch images that were not found or not right (found ones are in `platforms`). */
  sourceProblems?: SourceProblem[]
  /** A failure: the engine's error code (SOURCES_MISSING, TAG_HOLDS_OTHER, ...). */
  errorCode?: string
  /** The registry's pull limit and what is left of it, when it says (Docker Hub). */
  rateLimit?: RateLimit
}

export interface RunReport {
  images: ImageReport[]
  /**
   * Floating tags held back because the release is incomplete (`floating-tags: together`),
   * as `repository:tag`. Absent when nothing was held back.
   */
  heldBack?: string[]
}

/**
 * The step's status: `failed` if any image failed, else `updated` if any was updated, else
 * `created` if any was created, else their common status (docs/design.md §2).
 */
export function overallStatus(images: readonly ImageReport[]): ImageStatus {
  const statuses = images.map((i) => i.status)
  if (statuses.length === 0 || statuses.includes('failed')) return 'failed'
  if (statuses.includes('updated')) return 'updated'
  if (statuses.includes('created')) return 'created'
  return statuses[0]
}

/**
 * The `result` output: every image with its fields in the order docs/design.md §2 lists them
 * (JSON readers do not care; people reading a log do).
 */
export function resultDocument(images: readonly ImageReport[]): RunReport {
  const heldBack = heldBackTags(images)
  return {
    images: images.map((i) => {
      const { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest } =
        i
      return { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest }
    }),
    ...(heldBack.length > 0 ? { heldBack } : {})
  }
}

/** Every floating tag held back, as `repository:tag`. */
export function heldBackTags(images: readonly ImageReport[]): string[] {
  return images.flatMap((i) =>
    (i.tagResults ?? []).filter((t) => t.change === 'held-back').map((t) => `${i.image}:${t.tag}`)
  )
}
