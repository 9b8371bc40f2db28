/**
 * Media types of the documents this tool reads and writes.
 * OCI: image-spec media-types.md; Docker: distribution docs/spec/manifest-v2-2.md.
 */

export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
export const MEDIA_TYPE_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const MEDIA_TYPE_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'

/** The manifest media types we can read. */
type ManifestMediaType =
  | typeof MEDIA_TYPE_OCI_INDEX
  | typeof MEDIA_TYPE_OCI_MANIFEST
  | typeof MEDIA_TYPE_DOCKER_LIST
  | typeof MEDIA_TYPE_DOCKER_MANIFEST

/** Index media types: the documents this tool writes. */
export type IndexMediaType = typeof MEDIA_TYPE_OCI_INDEX | typeof MEDIA_TYPE_DOCKER_LIST

/**
 * The four manifest types, sent on every manifest GET and HEAD. Without all four,
 * distribution 2.8 answers 404 for OCI documents and may serve a list's linux/amd64
 * child in place of the list (docs/registry-protocol.md B.2). No `q=` weights: GCR once
 * mis-parsed them.
 */
export const MANIFEST_ACCEPT: readonly ManifestMediaType[] = [
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST
]

/** True for one of the four manifest media types. */
export function isManifestMediaType(value: string): value is ManifestMediaType {
  return (MANIFEST_ACCEPT as readonly string[]).includes(value)
}

/** True for an OCI index or a Docker manifest list. */
export function isIndexMediaType(value: string): value is IndexMediaType {
  return value === MEDIA_TYPE_OCI_INDEX || value === MEDIA_TYPE_DOCKER_LIST
}

/**
 * The media type part of a Content-Type header, lower-cased, parameters dropped:
 * clients "SHOULD ignore parameters" (distribution-spec, pulling manifests).
 */
export function baseMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}
