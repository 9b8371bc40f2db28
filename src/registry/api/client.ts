/**
 * The registry operations the engine needs (distribution-spec endpoints end-2, end-3,
 * end-7a; end-8 tags listing, end-11 mount and blob uploads for sources elsewhere), on top of
 * the transport. Every answer is checked: Content-Type against the body, digests against the
 * bytes, PUT status and Docker-Content-Digest against what we sent.
 */
import { isDigest, sha256Digest } from '../../oci/digest.js'
import { neutralise } from '../../oci/untrusted-text.js'
import { MANIFEST_ACCEPT, baseMediaType, isManifestMediaType } from '../../oci/media-types.js'
import { ManifestFormatError, parseManifest } from '../../oci/manifest-parse.js'
import type { Digest, ParsedManifest } from '../../oci/types.js'
import type { BlobRef, CopyOutcome } from './blob-copy.js'
import { IntegrityError } from '../base/errors.js'
import { formatReference, type Reference } from '../base/reference.js'
import { RateLimitTracker } from './rate-limit.js'
import type { ListTagsOptions, TagListing } from './tags-list.js'
import { header } from '../transport/request.js'
import type { Transport } from '../transport/transport.js'

/** A manifest as read: exact bytes, their digest, media type and typed document. */
interface FetchedManifest {
  digest: Digest
  mediaType: string
  size: number
  bytes: Buffer
  parsed: ParsedManifest
}

/** What a HEAD says. */
export interface ManifestHead {
  digest: Digest
  mediaType: string
  size: number
}

/** Access a repository may need: `pull`, or `pull,push` for the target of a publish. */
export type RepositoryAccess = 'pull' | 'pull,push'

/** Largest manifest we read: containerd's MaxManifestSize is about 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
/** Image configs are small JSON documents; 8 MiB leaves room for long histories. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024

/** The token scope for `access` to `repository` (distribution auth/scope.md). */
export function repositoryScope(repository: string, access: RepositoryAccess): string {
  return `repository:${repository}:${access}`
}

/** One repository, with the access its token asks for (one token per scope set). */
export class RepositoryClient {
  readonly scope: string

  constructor(
    readonly transport: Transport,
    readonly registry: string,
    readonly repository: string,
    access: RepositoryAccess,
    /** Where Docker Hub's pull-limit headers are noted (docs/registry-quirks.md #37). */
    readonly rateLimits?: RateLimitTracker
  ) {
    this.scope = repositoryScope(repository, access)
  }

  private describe(ref: string): string {
    return formatReference({
      registry: this.registry,
      repository: this.repository,
      ...(ref.includes(':') ? { digest: ref } : { tag: ref })
    })
  }

  private manifestPath(ref: string): string {
    return `/v2/${this.repository}/manifests/${encodeURIComponent(ref).replace(/%3A/gi, ':')}`
  }

  /** GET a manifest by tag or digest; undefined when the registry says 404. */
  async getManifest(ref: string): Promise<FetchedManifest | undefined> {
    const target = this.describe(ref)
    const response = await this.transport.send({
      registry: this.registry,
      method: 'GET',
      path: this.manifestPath(ref),
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scope: this.scope,
      context: { operation: 'GET manifest', target },
      accept: [200, 404],
      maxBodyBytes: MAX_MANIFEST_BYTES
    })
    this.rateLimits?.observe(this.registry, response.headers)
    if (response.status === 404) return undefined
    const bytes = response.body
    const digest = sha256Digest(bytes)
    const served = header(response.headers, 'docker-content-digest')
    if (served?.startsWith('sha256:') && served !== digest) {
      throw new IntegrityError(
        'DIGEST_MISMATCH',
        `GET manifest ${target}: Docker-Content-Digest ${neutralise(served)} but the bytes hash to ${digest}`
      )
    }
    if (ref.startsWith('sha256:') && ref !== digest) {
      throw new IntegrityError(
        'DIGEST_MISMATCH',
        `GET manifest ${target}: asked for ${ref}, the bytes hash to ${digest}`
      )
    }
    let parsed: ParsedManifest
    try {
      parsed = parseManifest(bytes, header(response.headers, 'content-type'))
    } catch (error) {
      if (error instanceof ManifestFormatError) {
        throw new IntegrityError('BAD_DOCUMENT', `GET manifest ${target}: ${error.message}`)
      }
      throw error
    }
    return { digest, mediaType: parsed.mediaType, size: bytes.length, bytes, parsed }
  }

  /**
   * HEAD a manifest; undefined on 404. A registry that leaves out Docker-Content-Digest or a
   * usable Content-Type gets a GET instead (containerd's resolver does the same;
   * docs/registry-quirks.md rows 33 and 35).
   *
   * `existenceCheck`: the HEAD only asks whether a tag is there before a PUT decides; a 403
   * then means "absent" too (docs/registry-quirks.md #33: Artifactory virtual repositories
   * answer 403 for a missing tag; go-containerregistry's pusher treats it so). The PUT that
   * follows still fails on a real lack of access.
   */
  async headManifest(
    ref: string,
    options: { existenceCheck?: boolean } = {}
  ): Promise<ManifestHead | undefined> {
    const target = this.describe(ref)
    const response = await this.transport.send({
      registry: this.registry,
      method: 'HEAD',
      path: this.manifestPath(ref),
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scope: this.scope,
      context: { operation: 'HEAD manifest', target },
      accept: options.existenceCheck === true ? [200, 403, 404] : [200, 404]
    })
    this.rateLimits?.observe(this.registry, response.headers)
    if (response.status === 404 || response.status === 403) return undefined
    const served = header(response.headers, 'docker-content-digest')
    // A header that is not a digest is not passed on (it would become `previousDigest` in
    // the outputs and the summary): the GET hashes the bytes instead, as for a missing one.
    const digest = served !== undefined && isDigest(served) ? served : undefined
    const mediaType = baseMediaType(header(response.headers, 'content-type'))
    const size = Number(header(response.headers, 'content-length'))
    if (!digest || !isManifestMediaType(mediaType) || !Number.isSafeInteger(size) || size < 0) {
      const fetched = await this.getManifest(ref)
      return fetched && { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size }
    }
    return { digest, mediaType, size }
  }

  /**
   * GET a blob (an image config), following redirects to storage hosts without our
   * Authorization header, and check its digest.
   */
  async getBlob(digest: Digest, maxBytes = MAX_CONFIG_BYTES): Promise<Buffer> {
    const target = formatReference({ registry: this.registry, repository: this.repository, digest })
    const response = await this.transport.send({
      registry: this.registry,
      method: 'GET',
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.scope,
      context: { operation: 'GET blob', target },
      accept: [200],
      followRedirects: true,
      maxBodyBytes: maxBytes
    })
    if (digest.startsWith('sha256:') && sha256Digest(response.body) !== digest) {
      throw new IntegrityError(
        'DIGEST_MISMATCH',
        `GET blob ${target}: the bytes hash to ${sha256Digest(response.body)}`
      )
    }
    return response.body
  }

  /**
   * HEAD a blob (end-2): its size, or undefined on 404. Redirects are followed as for GET
   * (distribution answers HEAD with a redirect to storage too when redirects are enabled).
   * `size` is -1 when the registry sends no Content-Length.
   */
  async headBlob(digest: Digest): Promise<{ size: number } | undefined> {
    const target = formatReference({ registry: this.registry, repository: this.repository, digest })
    const response = await this.transport.send({
      registry: this.registry,
      method: 'HEAD',
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.scope,
      context: { operation: 'HEAD blob', target },
      accept: [200, 404],
      followRedirects: true
    })
    if (response.status === 404) return undefined
    const size = Number(header(response.headers, 'content-length') ?? Number.NaN)
    return { size: Number.isSafeInteger(size) && size >= 0 ? size : -1 }
  }

  /**
   * The repository's tags (end-8), following `Link` pagination up to `maxPages`; sorted and
   * without duplicates; an unknown repository has none. See tags-list.ts (loaded on first
   * use, like blob-copy.ts: only some runs list tags or copy blobs, and what a run does not
   * use is not compiled at its start; README, Performance).
   */
  async listTags(options: ListTagsOptions = {}): Promise<TagListing> {
    const { listTags } = await import('./tags-list.js')
    return listTags(this, options)
  }

  /**
   * Make `blob` exist in this repository (the target; access `pull,push`), taking it from
   * `source`: 'exists' when it is already here, 'mounted' by a cross-repository mount on the
   * same registry, 'copied' by a streamed copy. See blob-copy.ts.
   */
  async copyBlob(source: RepositoryClient, blob: BlobRef): Promise<CopyOutcome> {
    const { copyBlob } = await import('./blob-copy.js')
    return copyBlob(this, source, blob)
  }

  /**
   * PUT exactly these bytes under a tag or digest (end-7a). Content-Type is the document's
   * media type (distribution-spec: clients MUST set it to the mediaType field). The spec says
   * 201; any success status is taken, as containerd's pusher does (docs/registry-quirks.md #36),
   * and when the registry sends Docker-Content-Digest it must equal our digest.
   */
  async putManifest(ref: string, mediaType: string, bytes: Buffer): Promise<Digest> {
    const target = this.describe(ref)
    const digest = sha256Digest(bytes)
    const response = await this.transport.send({
      registry: this.registry,
      method: 'PUT',
      path: this.manifestPath(ref),
      headers: { 'content-type': mediaType },
      body: bytes,
      scope: this.scope,
      context: { operation: 'PUT manifest', target },
      accept: [200, 201, 202, 204]
    })
    const served = header(response.headers, 'docker-content-digest')
    if (served && served !== digest) {
      throw new IntegrityError(
        'DIGEST_MISMATCH',
        `PUT manifest ${target}: the registry stored ${neutralise(served)}, we sent ${digest}`
      )
    }
    return digest
  }
}

/** Creates repository clients that share one transport (one pool, one token cache). */
export class RegistryClient {
  /** The pull-limit headers seen on manifest reads, per registry (docs/registry-quirks.md #37). */
  readonly rateLimits = new RateLimitTracker()

  constructor(readonly transport: Transport) {}

  /** A client for `ref`'s repository with the given access. */
  repository(
    ref: Pick<Reference, 'registry' | 'repository'>,
    access: RepositoryAccess
  ): RepositoryClient {
    return new RepositoryClient(
      this.transport,
      ref.registry,
      ref.repository,
      access,
      this.rateLimits
    )
  }
}
