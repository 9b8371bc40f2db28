/**
 * src/registry/api/client.ts against scripted servers on an undici MockAgent: every answer is
 * checked (Content-Type against the body, digests against the bytes, PUT status and
 * Docker-Content-Digest: docs/registry-protocol.md B.2, B.3), and blob redirects never carry our
 * Authorization to another host (B.8).
 */
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { RegistryClient, type RepositoryClient } from '../../src/registry/api/client.js'
import {
  IntegrityError,
  RegistryError,
  TransportError,
  isStatus
} from '../../src/registry/base/errors.js'
import {
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST
} from '../../src/oci/media-types.js'
import { harness, serve, USER, type Handler, type Harness } from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = 'http://127.0.0.1:5000'
const AUTH = 'http://127.0.0.1:5001'
const STORAGE = 'http://127.0.0.2:9000'
const CHALLENGE = `Bearer realm="${AUTH}/token",service="reg",scope="repository:a/b:pull"`

/** Independent of src: the registry's digest of these bytes. */
const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

const CONFIG_BYTES = Buffer.from(
  '{"architecture":"arm64","os":"linux","variant":"v8","rootfs":{"type":"layers","diff_ids":[]}}'
)
const CONFIG_DIGEST = sha256(CONFIG_BYTES)
const IMAGE_BYTES = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: CONFIG_DIGEST,
      size: CONFIG_BYTES.length
    },
    layers: []
  })
)
const IMAGE_DIGEST = sha256(IMAGE_BYTES)
const INDEX_BYTES = Buffer.from(
  JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_OCI_INDEX,
      manifests: [
        {
          mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
          digest: IMAGE_DIGEST,
          size: IMAGE_BYTES.length,
          platform: { architecture: 'arm64', os: 'linux' }
        }
      ]
    },
    null,
    2
  )
)
const INDEX_DIGEST = sha256(INDEX_BYTES)

function repo(h: Harness, access: 'pull' | 'pull,push' = 'pull'): RepositoryClient {
  return new RegistryClient(h.transport).repository(
    { registry: REGISTRY, repository: 'a/b' },
    access
  )
}

/** Serves the documents above; a tag `v1` names the index, `img` the image. */
const documents: Handler = (req) => {
  const path = new URL(req.path, REG).pathname
  const served: Record<string, [Buffer, string]> = {
    '/v2/a/b/manifests/v1': [INDEX_BYTES, MEDIA_TYPE_OCI_INDEX],
    [`/v2/a/b/manifests/${INDEX_DIGEST}`]: [INDEX_BYTES, MEDIA_TYPE_OCI_INDEX],
    '/v2/a/b/manifests/img': [IMAGE_BYTES, MEDIA_TYPE_DOCKER_MANIFEST],
    [`/v2/a/b/blobs/${CONFIG_DIGEST}`]: [CONFIG_BYTES, 'application/octet-stream']
  }
  const hit = served[path]
  if (!hit)
    return {
      status: 404,
      body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }
    }
  const [bytes, contentType] = hit
  return {
    status: 200,
    body: req.method === 'HEAD' ? '' : bytes,
    headers: {
      'content-type': contentType,
      'docker-content-digest': sha256(bytes),
      'content-length': String(bytes.length)
    }
  }
}

describe('RegistryClient', () => {
  it('asks for pull or pull,push on the repository', () => {
    const h = harness()
    expect(repo(h).scope).toBe('repository:a/b:pull')
    expect(repo(h, 'pull,push').scope).toBe('repository:a/b:pull,push')
    expect(repo(h).registry).toBe(REGISTRY)
    expect(repo(h).repository).toBe('a/b')
  })
})

describe('getManifest', () => {
  it('sends all four manifest types in Accept and returns bytes, digest, media type and document', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    const fetched = await repo(h).getManifest('v1')
    expect(h.seen).toHaveLength(1)
    const accept = h.seen[0].headers.accept.split(',').map((s) => s.trim())
    expect(accept.sort()).toEqual(
      [
        MEDIA_TYPE_DOCKER_LIST,
        MEDIA_TYPE_DOCKER_MANIFEST,
        MEDIA_TYPE_OCI_INDEX,
        MEDIA_TYPE_OCI_MANIFEST
      ].sort()
    )
    expect(h.seen[0].path).toBe('/v2/a/b/manifests/v1')
    expect(fetched).toBeDefined()
    expect(fetched!.bytes.equals(INDEX_BYTES)).toBe(true)
    expect(fetched!.digest).toBe(INDEX_DIGEST)
    expect(fetched!.size).toBe(INDEX_BYTES.length)
    expect(fetched!.mediaType).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(fetched!.parsed.kind).toBe('index')
  })

  it('reads by digest, keeping the colon in the path', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    const fetched = await repo(h).getManifest(INDEX_DIGEST)
    expect(h.seen[0].path).toBe(`/v2/a/b/manifests/${INDEX_DIGEST}`)
    expect(fetched!.digest).toBe(INDEX_DIGEST)
  })

  it('is undefined on 404', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    await expect(repo(h).getManifest('nope')).resolves.toBeUndefined()
    expect(h.seen).toHaveLength(1)
  })

  it('rejects a Docker-Content-Digest that is not the digest of the bytes', async () => {
    const h = harness()
    const wrong = sha256('something else')
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: INDEX_BYTES,
      headers: { 'content-type': MEDIA_TYPE_OCI_INDEX, 'docker-content-digest': wrong }
    }))
    const error = await repo(h)
      .getManifest('v1')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' })
    expect((error as Error).message).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: Docker-Content-Digest ${wrong} but the bytes hash to ${INDEX_DIGEST}`
    )
    expect(h.seen).toHaveLength(1)
  })

  it('accepts a Docker-Content-Digest of another algorithm without comparing it (B.3: it MAY differ)', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: INDEX_BYTES,
      headers: {
        'content-type': MEDIA_TYPE_OCI_INDEX,
        'docker-content-digest': `sha512:${'a'.repeat(128)}`
      }
    }))
    await expect(repo(h).getManifest('v1')).resolves.toMatchObject({ digest: INDEX_DIGEST })
  })

  it('accepts a missing Docker-Content-Digest and computes the digest itself', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: INDEX_BYTES,
      headers: { 'content-type': MEDIA_TYPE_OCI_INDEX }
    }))
    await expect(repo(h).getManifest('v1')).resolves.toMatchObject({ digest: INDEX_DIGEST })
  })

  it('rejects bytes that do not hash to the digest asked for', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: IMAGE_BYTES,
      headers: { 'content-type': MEDIA_TYPE_DOCKER_MANIFEST }
    }))
    const error = await repo(h)
      .getManifest(INDEX_DIGEST)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect((error as Error).message).toBe(
      `GET manifest ${REGISTRY}/a/b@${INDEX_DIGEST}: asked for ${INDEX_DIGEST}, the bytes hash to ${IMAGE_DIGEST}`
    )
  })

  it('rejects a body whose mediaType disagrees with Content-Type as BAD_DOCUMENT', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: INDEX_BYTES,
      headers: { 'content-type': MEDIA_TYPE_DOCKER_LIST }
    }))
    const error = await repo(h)
      .getManifest('v1')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect(error).toMatchObject({ code: 'BAD_DOCUMENT' })
    expect((error as Error).message).toContain(
      `GET manifest ${REGISTRY}/a/b:v1: the body says mediaType ${MEDIA_TYPE_OCI_INDEX}`
    )
  })

  it('refuses a manifest larger than 4 MiB', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: Buffer.alloc(4 * 1024 * 1024 + 1, 32)
    }))
    await expect(repo(h).getManifest('v1')).rejects.toMatchObject({
      name: 'TransportError',
      code: 'TOO_LARGE'
    })
  })
})

describe('headManifest', () => {
  it('uses the HEAD headers when they are complete', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    await expect(repo(h).headManifest('v1')).resolves.toEqual({
      digest: INDEX_DIGEST,
      mediaType: MEDIA_TYPE_OCI_INDEX,
      size: INDEX_BYTES.length
    })
    expect(h.seen.map((r) => r.method)).toEqual(['HEAD'])
    expect(h.seen[0].headers.accept).toContain(MEDIA_TYPE_OCI_INDEX)
  })

  it('falls back to GET when Docker-Content-Digest is missing', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) => {
      const reply = documents(req)
      if (req.method === 'HEAD') delete reply.headers!['docker-content-digest']
      return reply
    })
    await expect(repo(h).headManifest('img')).resolves.toEqual({
      digest: IMAGE_DIGEST,
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
      size: IMAGE_BYTES.length
    })
    expect(h.seen.map((r) => r.method)).toEqual(['HEAD', 'GET'])
  })

  it('falls back to GET when Content-Type is not a manifest type', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) => {
      const reply = documents(req)
      if (req.method === 'HEAD') reply.headers!['content-type'] = 'text/plain; charset=utf-8'
      return reply
    })
    await expect(repo(h).headManifest('v1')).resolves.toMatchObject({
      digest: INDEX_DIGEST,
      mediaType: MEDIA_TYPE_OCI_INDEX
    })
    expect(h.seen.map((r) => r.method)).toEqual(['HEAD', 'GET'])
  })

  it('is undefined on 404', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    await expect(repo(h).headManifest('nope')).resolves.toBeUndefined()
    expect(h.seen.map((r) => r.method)).toEqual(['HEAD'])
  })
})

/** A token registry whose blob answers with `blobReply`; everything else as `documents`. */
function tokenRegistry(h: Harness, blobReply: Handler) {
  serve(h.agent, REG, h.seen, (req) => {
    if (req.headers.authorization !== 'Bearer tok')
      return { status: 401, headers: { 'www-authenticate': CHALLENGE } }
    return req.path.includes('/blobs/') ? blobReply(req) : documents(req)
  })
  serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: 'tok' } }))
}

describe('getBlob', () => {
  it('returns the bytes when they hash to the digest', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, documents)
    const bytes = await repo(h).getBlob(CONFIG_DIGEST)
    expect(bytes.equals(CONFIG_BYTES)).toBe(true)
    expect(h.seen[0].path).toBe(`/v2/a/b/blobs/${CONFIG_DIGEST}`)
  })

  it('rejects bytes that do not hash to the digest', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 200, body: 'tampered' }))
    const error = await repo(h)
      .getBlob(CONFIG_DIGEST)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' })
    expect((error as Error).message).toBe(
      `GET blob ${REGISTRY}/a/b@${CONFIG_DIGEST}: the bytes hash to ${sha256('tampered')}`
    )
  })

  it('follows a 307 to another origin without sending Authorization there', async () => {
    const h = harness({ credentials: async () => USER })
    tokenRegistry(h, () => ({
      status: 307,
      headers: { location: `${STORAGE}/blob?X-Amz-Signature=abc` }
    }))
    serve(h.agent, STORAGE, h.seen, () => ({ status: 200, body: CONFIG_BYTES }))
    const bytes = await repo(h).getBlob(CONFIG_DIGEST)
    expect(bytes.equals(CONFIG_BYTES)).toBe(true)
    const blobRequests = h.seen.filter((r) => r.path.includes('blob'))
    expect(blobRequests.map((r) => r.origin)).toEqual([REG, REG, STORAGE])
    expect(blobRequests[1].headers.authorization).toBe('Bearer tok')
    expect(blobRequests[2].path).toBe('/blob?X-Amz-Signature=abc')
    expect(blobRequests[2].headers).not.toHaveProperty('authorization')
    expect(h.transport.requestCounts.get('GET blob')).toBe(3)
  })

  it('keeps Authorization on a same-origin redirect', async () => {
    const h = harness({ credentials: async () => USER })
    tokenRegistry(h, (req) =>
      req.path.includes('/blobs/sha256:')
        ? { status: 307, headers: { location: '/v2/a/b/blobs/storage/1' } }
        : { status: 200, body: CONFIG_BYTES }
    )
    await expect(repo(h).getBlob(CONFIG_DIGEST)).resolves.toEqual(CONFIG_BYTES)
    const last = h.seen.at(-1)!
    expect(last.path).toBe('/v2/a/b/blobs/storage/1')
    expect(last.headers.authorization).toBe('Bearer tok')
  })

  it('checks the digest of bytes served by the storage host', async () => {
    const h = harness({ credentials: async () => USER })
    tokenRegistry(h, () => ({ status: 302, headers: { location: `${STORAGE}/blob` } }))
    serve(h.agent, STORAGE, h.seen, () => ({ status: 200, body: 'not the config' }))
    await expect(repo(h).getBlob(CONFIG_DIGEST)).rejects.toMatchObject({
      name: 'IntegrityError',
      code: 'DIGEST_MISMATCH'
    })
  })

  it('enforces its size bound', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 200, body: CONFIG_BYTES }))
    await expect(repo(h).getBlob(CONFIG_DIGEST, 10)).rejects.toBeInstanceOf(TransportError)
  })
})

describe('putManifest', () => {
  it('PUTs exactly the bytes with the document media type and returns their digest', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) => ({
      status: 201,
      headers: {
        'docker-content-digest': sha256(req.body!),
        location: `/v2/a/b/manifests/${sha256(req.body!)}`
      }
    }))
    const digest = await repo(h, 'pull,push').putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
    expect(digest).toBe(INDEX_DIGEST)
    expect(h.seen).toHaveLength(1)
    const [put] = h.seen
    expect(put.method).toBe('PUT')
    expect(put.path).toBe('/v2/a/b/manifests/v1')
    expect(put.headers['content-type']).toBe(MEDIA_TYPE_OCI_INDEX)
    expect(put.body!.equals(INDEX_BYTES)).toBe(true)
  })

  it('PUTs by digest too', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 201 }))
    await expect(
      repo(h, 'pull,push').putManifest(INDEX_DIGEST, MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
    ).resolves.toBe(INDEX_DIGEST)
    expect(h.seen[0].path).toBe(`/v2/a/b/manifests/${INDEX_DIGEST}`)
  })

  it('takes any success status, as containerd does (docs/registry-quirks.md #36)', async () => {
    for (const status of [200, 202, 204]) {
      const h = harness()
      serve(h.agent, REG, h.seen, () => ({
        status,
        headers: { 'docker-content-digest': INDEX_DIGEST }
      }))
      await expect(
        repo(h, 'pull,push').putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
      ).resolves.toBe(INDEX_DIGEST)
      expect(h.seen).toHaveLength(1)
    }
  })

  it('a 3xx answer to a PUT is a RegistryError', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 304 }))
    const error = await repo(h, 'pull,push')
      .putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect(isStatus(error, 304)).toBe(true)
    expect(h.seen).toHaveLength(1)
  })

  it('rejects a Docker-Content-Digest that differs from the digest of what was sent', async () => {
    const h = harness()
    const other = sha256('other')
    serve(h.agent, REG, h.seen, () => ({
      status: 201,
      headers: { 'docker-content-digest': other }
    }))
    const error = await repo(h, 'pull,push')
      .putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect((error as Error).message).toBe(
      `PUT manifest ${REGISTRY}/a/b:v1: the registry stored ${other}, we sent ${INDEX_DIGEST}`
    )
  })

  it('surfaces MANIFEST_BLOB_UNKNOWN with every missing child', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 400,
      body: {
        errors: [
          {
            code: 'MANIFEST_BLOB_UNKNOWN',
            message: 'blob unknown to registry',
            detail: IMAGE_DIGEST
          },
          {
            code: 'MANIFEST_BLOB_UNKNOWN',
            message: 'blob unknown to registry',
            detail: CONFIG_DIGEST
          }
        ]
      }
    }))
    const error = (await repo(h, 'pull,push')
      .putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
      .catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.hasCode('MANIFEST_BLOB_UNKNOWN')).toBe(true)
    expect(error.errors.map((e) => e.detail)).toEqual([IMAGE_DIGEST, CONFIG_DIGEST])
    expect(h.seen).toHaveLength(1)
  })

  it('asks the token server for pull,push', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === 'Bearer tok'
        ? { status: 201 }
        : { status: 401, headers: { 'www-authenticate': CHALLENGE } }
    )
    serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: 'tok' } }))
    await repo(h, 'pull,push').putManifest('v1', MEDIA_TYPE_OCI_INDEX, INDEX_BYTES)
    const token = h.seen.find((r) => r.origin === AUTH)!
    expect(token.query.getAll('scope')).toEqual(['repository:a/b:pull,push'])
    // The body went out again on the authenticated retry.
    expect(h.seen.filter((r) => r.origin === REG).map((r) => r.body?.equals(INDEX_BYTES))).toEqual([
      true,
      true
    ])
  })
})

describe('isStatus', () => {
  it('is true only for a RegistryError with that status', () => {
    const e = new RegistryError({ operation: 'x', target: 'y' }, 404, [])
    expect(isStatus(e, 404)).toBe(true)
    expect(isStatus(e, 403)).toBe(false)
    expect(isStatus(new Error('404'), 404)).toBe(false)
    expect(isStatus(undefined, 404)).toBe(false)
  })
})
