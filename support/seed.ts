/**
 * An independent writer and reader for test registries: pushes blobs, single-platform images
 * (Docker v2 or OCI) and buildx-style indexes with plain fetch. It imports nothing from src/ on
 * purpose — the tests compare what src/ does against what this code wrote.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { RunningRegistry } from './registry.js'

/** Media types this module writes and reads. */
export const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  inToto: 'application/vnd.in-toto+json'
} as const

/** All four manifest media types, comma-joined, for `Accept`. */
export const MANIFEST_ACCEPT = [MT.dockerManifest, MT.dockerList, MT.ociManifest, MT.ociIndex].join(
  ', '
)

/** How to reach a registry: its base URL and, per repository, the Authorization value to send. */
export interface RegistryAccess {
  url: string
  authHeader?: (repo: string) => Promise<string | undefined>
}

/** Platform and format of an image made by {@link pushImage}. */
export interface ImageOptions {
  os: string
  architecture: string
  variant?: string
  osVersion?: string
  osFeatures?: string[]
  /** Default 'docker'. */
  format?: 'docker' | 'oci'
  /** Makes the layer (and so the digest) deterministic; default random, so every push is unique. */
  layerSeed?: string
  /** The config's `created` (RFC 3339), as a build writes it; default none. */
  created?: string
}

/** What {@link pushImage} pushed. */
export interface PushedImage {
  digest: string
  size: number
  mediaType: string
  bytes: Buffer
  configDigest: string
  configSize: number
  layerDigest: string
}

/** What {@link pushBuildxStyleIndex} pushed. */
export interface PushedBuildxIndex {
  indexDigest: string
  indexSize: number
  indexMediaType: string
  indexBytes: Buffer
  imageDigest: string
  imageSize: number
  imageMediaType: string
  attestationDigest: string
  attestationSize: number
  attestationMediaType: string
}

/** A manifest as read back by {@link getManifest}. */
export interface FetchedManifest {
  status: number
  /** `Docker-Content-Digest` header, if sent. */
  digest: string | undefined
  /** `Content-Type` header, if sent. */
  mediaType: string | undefined
  body: Buffer
}

/** Result of a manifest PUT or DELETE; these never throw on an HTTP status. */
export interface WriteResult {
  status: number
  digest: string | undefined
  location: string | undefined
  body: string
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Options for {@link accessFor}. */
export interface AccessOptions {
  /** No credentials: for token auth, an anonymous (pull-only) token; otherwise no header. */
  anonymous?: boolean
  /** Use these credentials instead of the registry's first user. */
  username?: string
  password?: string
  /** Actions asked of the token server (token auth only); default pull, push, delete. */
  actions?: string[]
}

/**
 * Access to a started registry: none → no header; basic → Basic of the first user; token →
 * a Bearer token from its token server for `repository:<repo>:pull,push,delete` (distribution
 * wants `delete` for DELETE), cached per repo.
 */
export function accessFor(running: RunningRegistry, opts: AccessOptions = {}): RegistryAccess {
  if (running.auth === 'none') return { url: running.url }
  const first = Object.entries(running.users)[0]
  const username = opts.anonymous === true ? undefined : (opts.username ?? first?.[0])
  const password = opts.anonymous === true ? undefined : (opts.password ?? first?.[1] ?? '')
  const basic =
    username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
  if (running.auth === 'basic')
    return { url: running.url, authHeader: () => Promise.resolve(basic) }

  const ts = running.tokenServer
  if (ts === undefined) throw new Error('accessFor: token registry without a token server')
  const actions = (opts.actions ?? ['pull', 'push', 'delete']).join(',')
  const cache = new Map<string, string>()
  return {
    url: running.url,
    authHeader: async (repo) => {
      const hit = cache.get(repo)
      if (hit !== undefined) return hit
      const u = new URL(ts.realm)
      u.searchParams.set('service', ts.service)
      u.searchParams.append('scope', `repository:${repo}:${actions}`)
      if (username !== undefined) u.searchParams.set('account', username)
      const headers: Record<string, string> = {}
      if (basic !== undefined) headers.authorization = basic
      const res = await fetch(u, { headers, signal: AbortSignal.timeout(15_000) })
      const text = await res.text()
      if (res.status !== 200)
        throw new Error(`token request for ${repo} answered ${res.status}: ${text}`)
      const token = JSON.parse(text) as { token?: string; access_token?: string }
      const value = `Bearer ${token.token ?? token.access_token ?? ''}`
      cache.set(repo, value)
      return value
    }
  }
}

async function request(
  reg: RegistryAccess,
  repo: string,
  method: string,
  pathOrUrl: string,
  init: { headers?: Record<string, string>; body?: Buffer } = {}
): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) }
  const auth = await reg.authHeader?.(repo)
  if (auth !== undefined) headers.authorization = auth
  const target = new URL(pathOrUrl, reg.url)
  const req: RequestInit = {
    method,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000)
  }
  if (init.body !== undefined) req.body = init.body
  return fetch(target, req)
}

async function expectStatus(res: Response, want: number, what: string): Promise<void> {
  if (res.status !== want) {
    const text = await res.text().catch(() => '')
    throw new Error(`${what}: expected ${want}, got ${res.status}: ${text}`)
  }
}

/**
 * Pushes a blob with a monolithic upload (POST /blobs/uploads/, then PUT ?digest=); skips the
 * upload when HEAD says the blob is already there.
 */
export async function pushBlob(
  reg: RegistryAccess,
  repo: string,
  bytes: Buffer
): Promise<{ digest: string; size: number }> {
  const digest = sha256Digest(bytes)
  const head = await request(reg, repo, 'HEAD', `/v2/${repo}/blobs/${digest}`)
  await head.arrayBuffer()
  if (head.status === 200) return { digest, size: bytes.length }

  const start = await request(reg, repo, 'POST', `/v2/${repo}/blobs/uploads/`)
  await expectStatus(start, 202, `POST /v2/${repo}/blobs/uploads/`)
  await start.arrayBuffer()
  const location = start.headers.get('location')
  if (location === null) throw new Error(`POST /v2/${repo}/blobs/uploads/ gave no Location`)
  // Location may be absolute or relative to the registry; it may carry its own query.
  const put = new URL(location, reg.url)
  put.searchParams.set('digest', digest)
  const res = await request(reg, repo, 'PUT', put.toString(), {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    body: bytes
  })
  await expectStatus(res, 201, `PUT blob ${digest} to ${repo}`)
  await res.arrayBuffer()
  return { digest, size: bytes.length }
}

/** PUTs manifest bytes under a tag or digest with the given Content-Type. */
export async function putManifest(
  reg: RegistryAccess,
  repo: string,
  ref: string,
  mediaType: string,
  bytes: Buffer
): Promise<WriteResult> {
  const res = await request(reg, repo, 'PUT', `/v2/${repo}/manifests/${ref}`, {
    headers: { 'content-type': mediaType },
    body: bytes
  })
  return writeResult(res)
}

/** GETs a manifest with all four manifest media types in Accept. */
export async function getManifest(
  reg: RegistryAccess,
  repo: string,
  ref: string
): Promise<FetchedManifest> {
  const res = await request(reg, repo, 'GET', `/v2/${repo}/manifests/${ref}`, {
    headers: { accept: MANIFEST_ACCEPT }
  })
  const body = Buffer.from(await res.arrayBuffer())
  return {
    status: res.status,
    digest: res.headers.get('docker-content-digest') ?? undefined,
    mediaType: res.headers.get('content-type') ?? undefined,
    body
  }
}

/** DELETEs a manifest by digest (distribution answers 202). */
export async function deleteManifest(
  reg: RegistryAccess,
  repo: string,
  digest: string
): Promise<WriteResult> {
  return writeResult(await request(reg, repo, 'DELETE', `/v2/${repo}/manifests/${digest}`))
}

async function writeResult(res: Response): Promise<WriteResult> {
  return {
    status: res.status,
    digest: res.headers.get('docker-content-digest') ?? undefined,
    location: res.headers.get('location') ?? undefined,
    body: await res.text()
  }
}

/** The platform object of an index entry / config for these options. */
export function platformOf(opts: ImageOptions): Record<string, unknown> {
  const p: Record<string, unknown> = { architecture: opts.architecture, os: opts.os }
  if (opts.osVersion !== undefined) p['os.version'] = opts.osVersion
  if (opts.osFeatures !== undefined) p['os.features'] = opts.osFeatures
  if (opts.variant !== undefined) p.variant = opts.variant
  return p
}

/**
 * Pushes a small single-platform image: one layer blob, a config blob carrying the platform,
 * and a schemaVersion 2 manifest (Docker v2 or OCI). `ref` is a tag or digest, or null to
 * push by the manifest's own digest.
 */
export async function pushImage(
  reg: RegistryAccess,
  repo: string,
  ref: string | null,
  opts: ImageOptions
): Promise<PushedImage> {
  const oci = opts.format === 'oci'
  const platform = [opts.os, opts.osVersion ?? '', opts.architecture, opts.variant ?? ''].join('/')
  const layer = Buffer.from(`layer for ${repo} ${platform} ${opts.layerSeed ?? randomUUID()}\n`)
  const layerBlob = await pushBlob(reg, repo, layer)

  const config: Record<string, unknown> = { architecture: opts.architecture, os: opts.os }
  if (opts.variant !== undefined) config.variant = opts.variant
  if (opts.osVersion !== undefined) config['os.version'] = opts.osVersion
  if (opts.osFeatures !== undefined) config['os.features'] = opts.osFeatures
  if (opts.created !== undefined) config.created = opts.created
  // The layer is stored uncompressed, so its diff_id is its own digest.
  config.rootfs = { type: 'layers', diff_ids: [layerBlob.digest] }
  config.config = {}
  const configBytes = Buffer.from(JSON.stringify(config))
  const configBlob = await pushBlob(reg, repo, configBytes)

  const mediaType = oci ? MT.ociManifest : MT.dockerManifest
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: oci ? MT.ociConfig : MT.dockerConfig,
      digest: configBlob.digest,
      size: configBlob.size
    },
    layers: [
      {
        mediaType: oci ? MT.ociLayer : MT.dockerLayer,
        digest: layerBlob.digest,
        size: layerBlob.size
      }
    ]
  }
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2))
  const digest = sha256Digest(bytes)
  await putOrThrow(reg, repo, ref ?? digest, mediaType, bytes, digest)
  return {
    digest,
    size: bytes.length,
    mediaType,
    bytes,
    configDigest: configBlob.digest,
    configSize: configBlob.size,
    layerDigest: layerBlob.digest
  }
}

async function putOrThrow(
  reg: RegistryAccess,
  repo: string,
  ref: string,
  mediaType: string,
  bytes: Buffer,
  digest: string
): Promise<void> {
  const res = await putManifest(reg, repo, ref, mediaType, bytes)
  if (res.status !== 201)
    throw new Error(`PUT manifest ${repo}:${ref}: expected 201, got ${res.status}: ${res.body}`)
  if (res.digest !== undefined && res.digest !== digest) {
    throw new Error(`PUT manifest ${repo}:${ref}: registry says ${res.digest}, expected ${digest}`)
  }
}

/**
 * Pushes what `docker buildx build --push` makes for one platform with provenance on: the image
 * (by digest; OCI unless `format` says otherwise), an in-toto attestation manifest (by digest)
 * and, under `tag`, an OCI index holding the image with its platform and the attestation as
 * `unknown/unknown` with `vnd.docker.reference.digest`/`.type` annotations.
 */
export async function pushBuildxStyleIndex(
  reg: RegistryAccess,
  repo: string,
  /** null: pushed by digest only, as buildx's push-by-digest=true does. */
  tag: string | null,
  platformOpts: ImageOptions
): Promise<PushedBuildxIndex> {
  const image = await pushImage(reg, repo, null, { format: 'oci', ...platformOpts })

  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [
        {
          name: `pkg:docker/${repo}@${tag ?? 'digest'}`,
          digest: { sha256: image.digest.slice('sha256:'.length) }
        }
      ],
      predicate: { builder: { id: 'test-seed' } }
    })
  )
  const statementBlob = await pushBlob(reg, repo, statement)
  const attConfig = Buffer.from(
    JSON.stringify({
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: [statementBlob.digest] }
    })
  )
  const attConfigBlob = await pushBlob(reg, repo, attConfig)
  const attestation = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: attConfigBlob.digest, size: attConfigBlob.size },
    layers: [
      {
        mediaType: MT.inToto,
        digest: statementBlob.digest,
        size: statementBlob.size,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }
      }
    ]
  }
  const attBytes = Buffer.from(JSON.stringify(attestation))
  const attDigest = sha256Digest(attBytes)
  await putOrThrow(reg, repo, attDigest, MT.ociManifest, attBytes, attDigest)

  const index = {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [
      {
        mediaType: image.mediaType,
        digest: image.digest,
        size: image.size,
        platform: platformOf(platformOpts)
      },
      {
        mediaType: MT.ociManifest,
        digest: attDigest,
        size: attBytes.length,
        annotations: {
          'vnd.docker.reference.digest': image.digest,
          'vnd.docker.reference.type': 'attestation-manifest'
        },
        platform: { architecture: 'unknown', os: 'unknown' }
      }
    ]
  }
  const indexBytes = Buffer.from(JSON.stringify(index))
  const indexDigest = sha256Digest(indexBytes)
  await putOrThrow(reg, repo, tag ?? indexDigest, MT.ociIndex, indexBytes, indexDigest)
  return {
    indexDigest,
    indexSize: indexBytes.length,
    indexMediaType: MT.ociIndex,
    indexBytes,
    imageDigest: image.digest,
    imageSize: image.size,
    imageMediaType: image.mediaType,
    attestationDigest: attDigest,
    attestationSize: attBytes.length,
    attestationMediaType: MT.ociManifest
  }
}
