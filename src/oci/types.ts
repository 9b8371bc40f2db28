/**
 * The registry documents this tool reads and writes, as the OCI image-spec (v1.1) and
 * Docker manifest v2.2 define them. Only the fields we use are typed; unknown fields are
 * preserved where we re-emit a document (we never re-emit a child, only reference it).
 */

/** image-spec descriptor.md: `sha256:<64 lowercase hex>` and friends. */
export type Digest = string

/** image-spec image-index.md `platform`; the same object in a Docker manifest list. */
export interface Platform {
  architecture: string
  os: string
  'os.version'?: string
  'os.features'?: string[]
  variant?: string
}

/** image-spec descriptor.md. */
export interface Descriptor {
  mediaType: string
  digest: Digest
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  artifactType?: string
  urls?: string[]
}

/** An OCI image manifest or a Docker v2 schema 2 manifest. */
export interface ImageManifest {
  schemaVersion: 2
  mediaType?: string
  artifactType?: string
  config: Descriptor
  layers: Descriptor[]
  subject?: Descriptor
  annotations?: Record<string, string>
}

/** An OCI image index or a Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2
  mediaType?: string
  artifactType?: string
  manifests: Descriptor[]
  subject?: Descriptor
  annotations?: Record<string, string>
}

/**
 * The platform fields of an image config (image-spec config.md), and `created` (when the
 * image was built, to tell an older index from a newer one); the rest is ignored.
 */
export interface ImageConfig {
  /** RFC 3339 date-time, kept only when it parses as a date. */
  created?: string
  architecture?: string
  os?: string
  'os.version'?: string
  'os.features'?: string[]
  variant?: string
}

/** A manifest as read from a registry: its exact bytes, digest, media type and parsed body. */
export type ParsedManifest =
  | { kind: 'index'; mediaType: string; document: ImageIndex }
  | { kind: 'image'; mediaType: string; document: ImageManifest }
