/**
 * Getting a blob into the target repository from a source in another repository or another
 * registry, before the child manifest that needs it is PUT there:
 *
 * 1. nothing, when the target already has it (HEAD);
 * 2. on the same registry, a cross-repository mount (docs/registry-protocol.md B.5):
 *    `POST /v2/<target>/blobs/uploads/?mount=<digest>&from=<source>` with a token for the
 *    target's `pull,push` and the source's `pull`; 201 is done, 202 is an upload session the
 *    registry started instead, which the streamed copy then fills;
 * 3. otherwise a streamed copy: GET from the source (through its own transport and access,
 *    storage redirects without our Authorization) piped into the PUT that completes an
 *    upload session, hashed on the way. Never a whole layer in memory.
 *
 * A failure mid-stream cannot be resumed (the bytes sent are gone), so the whole copy starts
 * again (the one retry loop, until the step's deadline).
 */
import { createHash } from 'node:crypto'
import { Transform, pipeline, type Readable } from 'node:stream'
import { IntegrityError, RegistryError, type RequestContext } from '../base/errors.js'
import { formatReference } from '../base/reference.js'
import { RestartRequested } from '../base/failure.js'
import { header, type RegistryResponse } from '../transport/request.js'
import type { Transport } from '../transport/transport.js'

/** The blob to copy, as a descriptor names it. */
export interface BlobRef {
  digest: string
  size: number
}

/** What a copy did: nothing needed, a mount, or bytes streamed through us. */
export type CopyOutcome = 'exists' | 'mounted' | 'copied'

/**
 * What a copy needs of either end: a repository client is one. Declared here rather than
 * taken from the client, so that the client imports this module and nothing imports the
 * client back (docs/design.md §6: no import circle).
 */
interface BlobEndpoint {
  readonly transport: Pick<Transport, 'send' | 'sendStream' | 'sendUpload' | 'retrying'>
  readonly registry: string
  readonly repository: string
  /** The token scope of this end's access (`repository:<name>:pull` or `pull,push`). */
  readonly scope: string
  /** The blob's size when this repository has it (end-2), else undefined. */
  headBlob(digest: string): Promise<{ size: number } | undefined>
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

function describe(end: Pick<BlobEndpoint, 'registry' | 'repository'>, digest: string): string {
  return formatReference({ registry: end.registry, repository: end.repository, digest })
}

/**
 * Make `blob` exist in `target` (whose access must be `pull,push`), taking it from `source`.
 */
export async function copyBlob(
  target: BlobEndpoint,
  source: BlobEndpoint,
  blob: BlobRef
): Promise<CopyOutcome> {
  if (!DIGEST.test(blob.digest)) {
    throw new IntegrityError(
      'BAD_DOCUMENT',
      `copy blob ${describe(source, blob.digest)}: not a sha256 or sha512 digest`
    )
  }
  if (!Number.isSafeInteger(blob.size) || blob.size < 0) {
    throw new IntegrityError(
      'BAD_DOCUMENT',
      `copy blob ${describe(source, blob.digest)}: size ${blob.size} is not a byte count`
    )
  }
  if (await target.headBlob(blob.digest)) return 'exists'
  let session: string | undefined
  if (source.registry === target.registry && source.repository !== target.repository) {
    const mounted = await mount(target, source, blob.digest)
    if (mounted === true) return 'mounted'
    session = mounted
  }
  await streamedCopy(target, source, blob, session)
  return 'copied'
}

/**
 * Try a cross-repository mount. True when mounted; else the Location of the upload session
 * the registry started instead (202), or undefined when there is none to use.
 */
async function mount(
  target: BlobEndpoint,
  source: BlobEndpoint,
  digest: string
): Promise<true | string | undefined> {
  const context: RequestContext = {
    operation: 'mount blob',
    target: `${describe(target, digest)} from ${source.repository}`
  }
  let response: RegistryResponse
  try {
    response = await target.transport.send({
      registry: target.registry,
      method: 'POST',
      path: `/v2/${target.repository}/blobs/uploads/?mount=${digest}&from=${source.repository}`,
      // distribution requires pull on the `from` repository as well (registry/handlers/app.go).
      scope: [target.scope, `repository:${source.repository}:pull`],
      context,
      accept: [201, 202]
    })
  } catch (error) {
    // The target's credentials may not read the source; the source's own access still can,
    // by a streamed copy. Registries refuse mounts in other ways too (docs/registry-quirks.md
    // #14, #23: 400 on Docker Hub, 405 on zot, 401 from Harbor for an unknown project), and
    // go-containerregistry copies after any refused mount: so does this, after any 4xx that
    // the transport did not retry. Anything else is a real failure.
    if (error instanceof RegistryError && error.status >= 400 && error.status < 500) {
      return undefined
    }
    throw error
  }
  if (response.status === 201) {
    const served = header(response.headers, 'docker-content-digest')
    if (served && served !== digest) {
      throw new IntegrityError(
        'DIGEST_MISMATCH',
        `${context.operation} ${context.target}: the registry mounted ${served}`
      )
    }
    return true
  }
  const location = header(response.headers, 'location')
  return location ? new URL(location, response.url).toString() : undefined
}

/** Start an upload session in the target (end-4a): its absolute Location. */
async function startUpload(target: BlobEndpoint, digest: string): Promise<string> {
  const context: RequestContext = { operation: 'POST upload', target: describe(target, digest) }
  const response = await target.transport.send({
    registry: target.registry,
    method: 'POST',
    path: `/v2/${target.repository}/blobs/uploads/`,
    scope: target.scope,
    context,
    accept: [202]
  })
  const location = header(response.headers, 'location')
  if (!location) {
    throw new RegistryError(context, response.status, [], {
      bodyText: 'without the Location of the upload session'
    })
  }
  // Location may be relative (distribution with relativeurls) or absolute.
  return new URL(location, response.url).toString()
}

/** The upload URL with `digest` added, keeping the session's own query (`_state`) as it is. */
export function withDigest(location: string, digest: string): string {
  const url = new URL(location)
  url.search = url.search ? `${url.search}&digest=${digest}` : `?digest=${digest}`
  return url.toString()
}

async function streamedCopy(
  target: BlobEndpoint,
  source: BlobEndpoint,
  blob: BlobRef,
  session: string | undefined
): Promise<void> {
  const context: RequestContext = {
    operation: 'copy blob',
    target: `${describe(source, blob.digest)} to ${target.registry}/${target.repository}`
  }
  // Each of these is fixed by starting again once (a new session, a fresh token); a second
  // time it is what the registry means.
  const restarted = { forgotten: false, refused: false }
  await target.transport.retrying(
    target.registry,
    `${context.operation} ${context.target}`,
    async () => {
      // A session is used once: after a failed PUT its state is unknown, so a new one is asked.
      const location = session ?? (await startUpload(target, blob.digest))
      session = undefined
      // Failures before the body flows were retried inside the transport already.
      const download = await openSource(source, blob)
      try {
        await upload(target, blob, location, download)
      } catch (error) {
        throw restartable(error, restarted)
      } finally {
        download.destroy()
      }
    }
  )
}

/**
 * A failure of the upload's PUT that a fresh start fixes: an upload session the registry no
 * longer knows (BLOB_UPLOAD_UNKNOWN: a new session), or a refused token (the transport has
 * dropped it: the next try fetches a new one). Once each; anything else as it is.
 */
function restartable(error: unknown, restarted: { forgotten: boolean; refused: boolean }): unknown {
  if (!(error instanceof RegistryError)) return error
  if (error.hasCode('BLOB_UPLOAD_UNKNOWN') && !restarted.forgotten) {
    restarted.forgotten = true
    return new RestartRequested('the upload session is unknown to the registry', error)
  }
  if (error.status === 401 && !restarted.refused) {
    restarted.refused = true
    return new RestartRequested('401 Unauthorized (token refused)', error)
  }
  return error
}

/** GET the blob from the source as a stream, following storage redirects (B.8). */
async function openSource(source: BlobEndpoint, blob: BlobRef): Promise<Readable> {
  const context: RequestContext = { operation: 'GET blob', target: describe(source, blob.digest) }
  const response = await source.transport.sendStream({
    registry: source.registry,
    method: 'GET',
    path: `/v2/${source.repository}/blobs/${blob.digest}`,
    scope: source.scope,
    context,
    accept: [200],
    followRedirects: true
  })
  const length = header(response.headers, 'content-length')
  if (length !== undefined && Number(length) !== blob.size) {
    response.body.destroy()
    throw new IntegrityError(
      'DIGEST_MISMATCH',
      `${context.operation} ${context.target}: the source serves ${length} bytes, the descriptor says ${blob.size}`
    )
  }
  return response.body
}

/** PUT the streamed bytes to the session (end-6: `PUT <location>?digest=`), requiring 201. */
async function upload(
  target: BlobEndpoint,
  blob: BlobRef,
  location: string,
  download: Readable
): Promise<void> {
  const context: RequestContext = { operation: 'PUT blob', target: describe(target, blob.digest) }
  const verified = verifier(blob, context)
  pipeline(download, verified, () => undefined)
  const response = await target.transport.sendUpload({
    registry: target.registry,
    method: 'PUT',
    path: withDigest(location, blob.digest),
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size)
    },
    body: verified,
    scope: target.scope,
    context,
    accept: [201]
  })
  const served = header(response.headers, 'docker-content-digest')
  if (served && served !== blob.digest) {
    throw new IntegrityError(
      'DIGEST_MISMATCH',
      `${context.operation} ${context.target}: the registry stored ${served}`
    )
  }
}

/**
 * Passes the bytes through while hashing them. The digest is checked when the last byte
 * arrives and before it goes out, so a target never receives a complete body that is not the
 * blob (the registry would refuse it too, as the PUT names the digest, but less clearly).
 */
function verifier(blob: BlobRef, context: RequestContext): Transform {
  const [algorithm] = blob.digest.split(':')
  const hash = createHash(algorithm)
  const what = `${context.operation} ${context.target}`
  let received = 0
  let checked = false
  const check = (): IntegrityError | undefined => {
    checked = true
    const actual = `${algorithm}:${hash.digest('hex')}`
    return actual === blob.digest
      ? undefined
      : new IntegrityError('DIGEST_MISMATCH', `${what}: the source's bytes hash to ${actual}`)
  }
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length
      if (received > blob.size) {
        callback(
          new IntegrityError(
            'TOO_LARGE',
            `${what}: the source sends more than the ${blob.size} bytes the descriptor says`
          )
        )
        return
      }
      hash.update(chunk)
      const failure = received === blob.size ? check() : undefined
      if (failure) callback(failure)
      else callback(null, chunk)
    },
    flush(callback) {
      if (received !== blob.size) {
        callback(
          new IntegrityError(
            'DIGEST_MISMATCH',
            `${what}: the source's body ended after ${received} of ${blob.size} bytes`
          )
        )
        return
      }
      callback((checked ? undefined : check()) ?? null)
    }
  })
}
