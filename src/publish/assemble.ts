/**
 * Assemble the index from the checked sources (docs/design.md §3 "Assemble"): entries in source
 * order, each image followed by its attestations; the media type from `media-type`.
 */
import { IndexBuildError, buildIndexDocument, type IndexDocument } from '../oci/index-document.js'
import {
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  type IndexMediaType
} from '../oci/media-types.js'
import type { Descriptor } from '../oci/types.js'
import { PublishError } from './errors.js'
import type { MediaTypeChoice } from './options.js'
import type { ResolvedSource } from './resolve.js'

/**
 * `auto`: a Docker manifest list when every child is a Docker v2 manifest, else an OCI index
 * (what buildx imagetools does: docker/buildx util/imagetools/create.go).
 */
export function chooseIndexMediaType(
  choice: MediaTypeChoice,
  entries: readonly Descriptor[]
): IndexMediaType {
  if (choice === 'oci') return MEDIA_TYPE_OCI_INDEX
  if (choice === 'docker') return MEDIA_TYPE_DOCKER_LIST
  return entries.every((e) => e.mediaType === MEDIA_TYPE_DOCKER_MANIFEST)
    ? MEDIA_TYPE_DOCKER_LIST
    : MEDIA_TYPE_OCI_INDEX
}

/** The index entries, in order: each image, then the attestations that reference it. */
export function indexEntries(sources: readonly ResolvedSource[]): Descriptor[] {
  return sources.flatMap((s) => [s.entry, ...s.attestations])
}

/** Build the index document; an impossible combination is a PublishError before any write. */
export function assembleIndex(
  sources: readonly ResolvedSource[],
  choice: MediaTypeChoice,
  annotations: Record<string, string>
): IndexDocument {
  const entries = indexEntries(sources)
  const mediaType = chooseIndexMediaType(choice, entries)
  try {
    return buildIndexDocument(mediaType, entries, annotations)
  } catch (error) {
    if (error instanceof IndexBuildError) {
      const why =
        choice === 'auto'
          ? `${error.message} (media-type auto chose a Docker list because every source is a Docker v2 manifest)`
          : error.message
      throw new PublishError('INDEX_INVALID', `cannot build the index: ${why}; nothing was written`)
    }
    throw error
  }
}
