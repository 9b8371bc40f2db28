/**
 * Parse a manifest's bytes into a typed document, checking what the registry said it is.
 * distribution-spec: "If the manifest has a mediaType field, clients SHOULD reject unless
 * the mediaType field's value matches the type specified by the Content-Type header."
 */
import {
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  baseMediaType,
  isIndexMediaType,
  isManifestMediaType
} from './media-types.js'
import { isDigest } from './digest.js'
import { isMediaTypeName, platformFieldsProblem, quoted } from './field-grammar.js'
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, ParsedManifest } from './types.js'

/** Thrown for a document that is not what it claims to be. */
export class ManifestFormatError extends Error {
  override name = 'ManifestFormatError'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A descriptor's fields are copied into our index, the `result` output and the logs, so each
 * is checked against its grammar here (image-spec descriptor.md), not trusted.
 */
function checkDescriptor(value: unknown, where: string): Descriptor {
  if (
    !isObject(value) ||
    typeof value.mediaType !== 'string' ||
    typeof value.digest !== 'string' ||
    typeof value.size !== 'number'
  ) {
    throw new ManifestFormatError(`${where} is not a descriptor (mediaType, digest, size)`)
  }
  if (!isDigest(value.digest))
    throw new ManifestFormatError(`${where}.digest ${quoted(value.digest)} is not a digest`)
  if (!isMediaTypeName(value.mediaType))
    throw new ManifestFormatError(
      `${where}.mediaType ${quoted(value.mediaType)} is not a media type`
    )
  if (!Number.isSafeInteger(value.size) || value.size < 0)
    throw new ManifestFormatError(`${where}.size ${value.size} is not a byte count`)
  if (value.platform !== undefined) {
    const platform = value.platform
    if (
      !isObject(platform) ||
      typeof platform.os !== 'string' ||
      typeof platform.architecture !== 'string'
    )
      throw new ManifestFormatError(`${where}.platform has no os and architecture`)
    const problem = platformFieldsProblem(platform)
    if (problem) throw new ManifestFormatError(`${where}.platform: ${problem}`)
  }
  return value as unknown as Descriptor
}

/**
 * Parse manifest bytes served with `contentType`. The type comes from the body's mediaType
 * when present (it must then agree with Content-Type), else from Content-Type, else from
 * the shape (an OCI document may omit mediaType: image-spec says SHOULD).
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined): ParsedManifest {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new ManifestFormatError('the manifest is not valid JSON')
  }
  if (!isObject(body)) throw new ManifestFormatError('the manifest is not a JSON object')
  if (body.schemaVersion !== 2) {
    throw new ManifestFormatError(
      `unsupported schemaVersion ${JSON.stringify(body.schemaVersion)} (need 2)`
    )
  }
  const header = baseMediaType(contentType)
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined
  if (declared && isManifestMediaType(header) && declared !== header) {
    throw new ManifestFormatError(
      `the body says mediaType ${declared} but Content-Type is ${header}`
    )
  }
  let mediaType = declared ?? (isManifestMediaType(header) ? header : undefined)
  if (!mediaType) {
    if (Array.isArray(body.manifests)) mediaType = MEDIA_TYPE_OCI_INDEX
    else if (isObject(body.config)) mediaType = MEDIA_TYPE_OCI_MANIFEST
  }
  if (!mediaType || !isManifestMediaType(mediaType)) {
    // baseMediaType gives '' (not undefined) for a missing header.
    throw new ManifestFormatError(
      `unsupported manifest media type ${mediaType ?? (header || '(none)')}`
    )
  }
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(body.manifests))
      throw new ManifestFormatError(`${mediaType} without a manifests list`)
    body.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`))
    return { kind: 'index', mediaType, document: body as unknown as ImageIndex }
  }
  checkDescriptor(body.config, 'config')
  if (!Array.isArray(body.layers))
    throw new ManifestFormatError(`${mediaType} without a layers list`)
  return { kind: 'image', mediaType, document: body as unknown as ImageManifest }
}

/** True for a Docker v2 schema 2 image manifest (for `media-type: auto`). */
export function isDockerImageManifest(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE_DOCKER_MANIFEST
}

/** True for a Docker manifest list. */
export function isDockerList(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE_DOCKER_LIST
}

/** Parse an image config blob, keeping only the platform fields and `created`. */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new ManifestFormatError('the image config is not valid JSON')
  }
  if (!isObject(body)) throw new ManifestFormatError('the image config is not a JSON object')
  // These fields become the index entry's platform and are logged and reported.
  const problem = platformFieldsProblem(body)
  if (problem) throw new ManifestFormatError(`the image config's ${problem}`)
  const config: ImageConfig = {}
  if (typeof body.os === 'string') config.os = body.os
  if (typeof body.architecture === 'string') config.architecture = body.architecture
  if (typeof body.variant === 'string') config.variant = body.variant
  if (typeof body['os.version'] === 'string') config['os.version'] = body['os.version']
  // Untrusted text: kept only when short and a date, so it can be compared and shown safely.
  if (
    typeof body.created === 'string' &&
    body.created.length <= 40 &&
    /^\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)$/.test(body.created) &&
    Number.isFinite(Date.parse(body.created))
  )
    config.created = body.created
  if (Array.isArray(body['os.features'])) config['os.features'] = body['os.features'] as string[]
  return config
}
