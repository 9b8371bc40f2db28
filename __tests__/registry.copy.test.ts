/**
 * Sources in another repository or registry, on real registries: two
 * distribution 2.8 registries with token auth on 127.0.0.1. An image pushed into `a/src` on
 * the first is brought into `a/dst` on the same registry (cross-repository mount) and into
 * `b/dst` on the second (streamed copy), then its manifest is PUT by digest into both and
 * read back by the independent reader in helpers/seed.ts. Also the tags listing (B.4).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { RegistryClient, type RepositoryClient } from '../src/registry/api/client.js'
import type { Credentials } from '../src/registry/credentials/credentials.js'
import { IntegrityError } from '../src/registry/base/errors.js'
import { DEFAULT_RETRY_POLICY } from '../src/registry/base/retry-policy.js'
import { Transport } from '../src/registry/transport/transport.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import {
  accessFor,
  getManifest,
  pushBlob,
  pushImage,
  sha256Digest,
  type PushedImage
} from './helpers/seed.js'
import { closeHttpServer, listenLoopback } from './helpers/util.js'

function credentialsOf(registry: RunningRegistry, source: string): Credentials {
  const [username, password] = Object.entries(registry.users)[0]!
  return { username, password, source }
}

describe('blob copy and tags listing on real registries', () => {
  let one: RunningRegistry
  let two: RunningRegistry
  let transport: Transport
  let image: PushedImage
  /** A layer of several MiB: many chunks through the stream, never one buffer. */
  let big: { digest: string; size: number }
  let source: RepositoryClient
  let sameRegistry: RepositoryClient
  let otherRegistry: RepositoryClient

  beforeAll(async () => {
    ;[one, two] = await Promise.all([
      startRegistry({ auth: 'token' }),
      startRegistry({ auth: 'token' })
    ])
    const access = accessFor(one)
    image = await pushImage(access, 'a/src', 'v1', { os: 'linux', architecture: 'arm64' })
    big = await pushBlob(access, 'a/src', randomBytes(6 * 1024 * 1024 + 123))
    transport = new Transport({
      credentials: async (registry) =>
        registry === one.host
          ? credentialsOf(one, 'registry one')
          : registry === two.host
            ? credentialsOf(two, 'registry two')
            : undefined,
      deadline: Date.now() + 120_000
    })
    const client = new RegistryClient(transport)
    source = client.repository({ registry: one.host, repository: 'a/src' }, 'pull')
    sameRegistry = client.repository({ registry: one.host, repository: 'a/dst' }, 'pull,push')
    otherRegistry = client.repository({ registry: two.host, repository: 'b/dst' }, 'pull,push')
  })

  afterAll(async () => {
    await transport?.close()
    await Promise.all([one?.stop(), two?.stop()])
  })

  /** The config and layer as the manifest names them, and the big blob. */
  const blobs = () => {
    const manifest = JSON.parse(image.bytes.toString('utf8')) as {
      config: { digest: string; size: number }
      layers: Array<{ digest: string; size: number }>
    }
    return [manifest.config, ...manifest.layers, big]
  }

  it('mounts every blob into another repository of the same registry, with both scopes in one token', async () => {
    const outcomes = []
    for (const blob of blobs()) outcomes.push(await sameRegistry.copyBlob(source, blob))
    expect(outcomes).toEqual(['mounted', 'mounted', 'mounted'])
    const scopeSets = one.tokenServer!.requests.map((r) => [...r.scopes].sort())
    expect(scopeSets).toContainEqual(['repository:a/dst:pull,push', 'repository:a/src:pull'])
    // Plain requests keep asking for their one scope.
    expect(scopeSets).toContainEqual(['repository:a/dst:pull,push'])
    expect(transport.requestCounts.get('PUT upload')).toBeUndefined()
  })

  it('streams every blob into another registry', async () => {
    const outcomes = []
    for (const blob of blobs()) outcomes.push(await otherRegistry.copyBlob(source, blob))
    expect(outcomes).toEqual(['copied', 'copied', 'copied'])
    expect(transport.requestCounts.get('PUT upload')).toBe(3)
    await expect(otherRegistry.headBlob(big.digest)).resolves.toEqual({ size: big.size })
  })

  it('then takes the manifest by digest in both targets, as the independent reader sees it', async () => {
    for (const [target, running, repository] of [
      [sameRegistry, one, 'a/dst'],
      [otherRegistry, two, 'b/dst']
    ] as const) {
      await expect(target.putManifest(image.digest, image.mediaType, image.bytes)).resolves.toBe(
        image.digest
      )
      const read = await getManifest(accessFor(running), repository, image.digest)
      expect(read.status).toBe(200)
      expect(read.digest).toBe(image.digest)
      expect(sha256Digest(read.body)).toBe(image.digest)
    }
  })

  it('answers exists the second time, in both targets, without a mount or an upload', async () => {
    const before = new Map(transport.requestCounts)
    for (const target of [sameRegistry, otherRegistry]) {
      for (const blob of blobs())
        await expect(target.copyBlob(source, blob)).resolves.toBe('exists')
    }
    expect(transport.requestCounts.get('POST upload')).toBe(before.get('POST upload'))
    expect(transport.requestCounts.get('PUT upload')).toBe(before.get('PUT upload'))
  })

  it('lists tags sorted and complete, also with a page size the registry ignores', async () => {
    const access = accessFor(one)
    const tags = ['v2', 'v10', 'latest', 'A-first', 'v1-linux-amd64']
    for (const tag of tags) {
      await pushImage(access, 'a/tags', tag, { os: 'linux', architecture: 'amd64' })
    }
    const repo = new RegistryClient(transport).repository(
      { registry: one.host, repository: 'a/tags' },
      'pull'
    )
    const sorted = [...tags].sort()
    await expect(repo.listTags()).resolves.toEqual({ tags: sorted, pages: 1, truncated: false })
    // distribution 2.8 ignores n (and last): the full page is asked once more with last=, and
    // the same page again ends the listing.
    await expect(repo.listTags({ pageSize: 2 })).resolves.toEqual({
      tags: sorted,
      pages: 2,
      truncated: false
    })
    const unknown = new RegistryClient(transport).repository(
      { registry: one.host, repository: 'a/none' },
      'pull'
    )
    await expect(unknown.listTags()).resolves.toEqual({ tags: [], pages: 1, truncated: false })
  })
})

type BodyFault = 'reset' | 'stall' | 'tamper'

/**
 * A minimal source registry (no auth) serving blobs from memory over real HTTP, whose blob
 * GETs break as scripted: `reset` sends half the body and resets the connection, `stall`
 * sends half and then nothing, `tamper` flips one byte. What undici really does mid-body is
 * what these check; the target is a real registry.
 */
async function startBlobSource(
  blobs: Map<string, Buffer>,
  faults: BodyFault[]
): Promise<{ host: string; gets: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const state = { gets: 0 }
  const server: Server = createServer((req, res) => {
    const digest = /^\/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '')?.[1]
    const blob = digest === undefined ? undefined : blobs.get(digest)
    if (blob === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] }))
      return
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.length)
    })
    if (req.method === 'HEAD') return res.end()
    state.gets++
    const fault = faults.shift()
    if (fault === 'tamper') {
      const copy = Buffer.from(blob)
      copy[copy.length >> 1] ^= 0xff
      return res.end(copy)
    }
    if (fault === undefined) return res.end(blob)
    res.write(blob.subarray(0, blob.length >> 1))
    if (fault === 'reset') setTimeout(() => req.socket.resetAndDestroy(), 20)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const port = await listenLoopback(server)
  return {
    host: `127.0.0.1:${port}`,
    get gets() {
      return state.gets
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await closeHttpServer(server)
    }
  }
}

describe('streamed copy failures over real HTTP into a real registry', () => {
  let target: RunningRegistry
  let transport: Transport
  const layer = randomBytes(3 * 1024 * 1024 + 7)
  const blob = { digest: sha256Digest(layer), size: layer.length }

  beforeAll(async () => {
    target = await startRegistry({ auth: 'token' })
  })

  afterAll(async () => {
    await target?.stop()
  })

  /** A transport with a 1 s inactivity bound and backoff waits that return at once. */
  function newTransport(): Transport {
    transport = new Transport({
      credentials: async (registry) =>
        registry === target.host ? credentialsOf(target, 'target') : undefined,
      policy: { ...DEFAULT_RETRY_POLICY, requestTimeoutMs: 1_000 },
      sleep: async () => undefined,
      deadline: Date.now() + 60_000
    })
    return transport
  }

  async function copyFrom(faults: BodyFault[], repository: string) {
    const source = await startBlobSource(new Map([[blob.digest, layer]]), faults)
    const client = new RegistryClient(newTransport())
    const dst = client.repository({ registry: target.host, repository }, 'pull,push')
    const src = client.repository({ registry: source.host, repository: 'x/src' }, 'pull')
    try {
      const outcome = await dst.copyBlob(src, blob).catch((e: unknown) => e)
      return { outcome, gets: source.gets, dst }
    } finally {
      await transport.close()
      await source.stop()
    }
  }

  it('restarts after a reset and after a stall mid-body, and the target holds the exact blob', async () => {
    const { outcome, gets } = await copyFrom(['reset', 'stall'], 'c/dst')
    expect(outcome).toBe('copied')
    expect(gets).toBe(3)
    expect(transport.retries).toBe(2)
    const access = accessFor(target)
    const res = await fetch(`${target.url}/v2/c/dst/blobs/${blob.digest}`, {
      headers: { authorization: (await access.authHeader!('c/dst'))! }
    })
    expect(res.status).toBe(200)
    expect(sha256Digest(Buffer.from(await res.arrayBuffer()))).toBe(blob.digest)
  })

  it('fails with DIGEST_MISMATCH on tampered bytes, and the target does not get the blob', async () => {
    const { outcome, gets, dst } = await copyFrom(['tamper'], 'd/dst')
    expect(outcome).toBeInstanceOf(IntegrityError)
    expect(outcome).toMatchObject({ code: 'DIGEST_MISMATCH' })
    expect(gets).toBe(1)
    const check = new RegistryClient(newTransport()).repository(
      { registry: target.host, repository: dst.repository },
      'pull'
    )
    await expect(check.headBlob(blob.digest)).resolves.toBeUndefined()
    await transport.close()
  })
})
