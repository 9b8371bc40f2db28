/**
 * The index we write, as a pure function of its entries: canonical bytes and their digest.
 *
 * Determinism (docs/design.md §3 "Assemble"): keys in a fixed order, annotation keys sorted,
 * entries in the caller's order, two-space indentation, no timestamps. The digest is taken
 * over exactly the bytes that are PUT (the registry stores them as sent: distribution-spec
 * "MUST store the manifest in the exact byte representation provided by the client").
 */
import { sha256Digest } from './digest.js'
import { MEDIA_TYPE_DOCKER_LIST, type IndexMediaType } from './media-types.js'
import type { Descriptor, Digest, ImageIndex, Platform } from './types.js'

/** An index ready to push. */
export interface IndexDocument {
  mediaType: IndexMediaType
  document: ImageIndex
  bytes: Buffer
  digest: Digest
  size: number
}

/** Thrown when the entries cannot form the requested index type. */
export class IndexBuildError extends Error {
  override name = 'IndexBuildError'
}

function sortedRecord(
  record: Record<string, string> | undefined
): Record<string, string> | undefined {
  if (!record || Object.keys(record).length === 0) return undefined
  const out: Record<string, string> = {}
  for (const key of Object.keys(record).sort()) out[key] = record[key]
  return out
}

function canonicalPlatform(p: Platform): Platform {
  const out: Platform = { architecture: p.architecture, os: p.os }
  if (p['os.version']) out['os.version'] = p['os.version']
  if (p['os.features'] && p['os.features'].length > 0) out['os.features'] = [...p['os.features']]
  if (p.variant) out.variant = p.variant
  return out
}

function canonicalDescriptor(d: Descriptor, allowAnnotations: boolean): Descriptor {
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size }
  const annotations = sortedRecord(d.annotations)
  if (annotations && allowAnnotations) out.annotations = annotations
  if (d.platform) out.platform = canonicalPlatform(d.platform)
  return out
}

/**
 * Build the index. A Docker manifest list has no annotations at either level (image-spec
 * media-types.md compatibility matrix); asking for them is an error, never a silent drop.
 */
export function buildIndexDocument(
  mediaType: IndexMediaType,
  entries: readonly Descriptor[],
  annotations?: Record<string, string>
): IndexDocument {
  const docker = mediaType === MEDIA_TYPE_DOCKER_LIST
  const indexAnnotations = sortedRecord(annotations)
  if (docker && indexAnnotations) {
    throw new IndexBuildError(
      'a Docker manifest list cannot carry annotations; use media-type: oci'
    )
  }
  if (docker && entries.some((e) => sortedRecord(e.annotations))) {
    throw new IndexBuildError(
      'a Docker manifest list cannot carry entry annotations (attestation manifests need them); use media-type: oci'
    )
  }
  const document: ImageIndex = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => canonicalDescriptor(e, !docker))
  }
  if (indexAnnotations) document.annotations = indexAnnotations
  const bytes = Buffer.from(JSON.stringify(document, null, 2) + '\n', 'utf8')
  return { mediaType, document, bytes, digest: sha256Digest(bytes), size: bytes.length }
}
