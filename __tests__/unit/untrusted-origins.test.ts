/**
 * Credentials stay with the registry (docs/design.md §3 "Retry", §5): a 401 from any origin other
 * than the registry's own (a storage host a blob GET was redirected to, an upload Location
 * elsewhere) changes no auth state and is an error naming that host; no credential in any
 * form reaches a third host; an HTTPS registry's redirect to plain HTTP is refused unless the
 * target is loopback or in insecure-registries. Scripted servers on a MockAgent, fake time.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { Transport } from '../../src/registry/transport/transport.js'
import type { RegistryRequest } from '../../src/registry/transport/request.js'
import {
  harness,
  serve,
  USER,
  type Handler,
  type Reply,
  type SeenRequest
} from './support/fakes.js'

const REGISTRY = 'registry.example'
const REG = 'https://registry.example'
const AUTH = 'https://auth.example'
const STORAGE = 'https://storage.example'
const EVIL = 'https://evil.example'
const CHALLENGE = `Bearer realm="${AUTH}/token",service="reg"`
const EVIL_CHALLENGE = `Bearer realm="${EVIL}/token",service="evil"`

function blobGet(extra: Partial<RegistryRequest> = {}): RegistryRequest {
  return {
    registry: REGISTRY,
    method: 'GET',
    path: '/v2/a/b/blobs/sha256:1',
    scope: 'repository:a/b:pull',
    context: { operation: 'GET blob', target: `${REGISTRY}/a/b@sha256:1` },
    accept: [200],
    followRedirects: true,
    ...extra
  }
}

/** The registry hands out `good-token` through its realm and redirects blobs to `location`. */
function hostileSetup(location: string, options: { insecure?: string[] } = {}) {
  const h = harness({ credentials: async () => USER, insecureRegistries: options.insecure })
  const registry: Handler = (req): Reply => {
    if (req.headers.authorization !== 'Bearer good-token')
      return { status: 401, headers: { 'www-authenticate': CHALLENGE } }
    if (req.path.includes('/blobs/uploads/')) return { status: 202, headers: { location } }
    if (req.path.includes('/blobs/')) return { status: 307, headers: { location } }
    return { status: 200, body: 'ok' }
  }
  serve(h.agent, REG, h.seen, registry)
  serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: 'good-token' } }))
  // The storage host (or whoever plays it) asks for credentials at a realm it picked.
  serve(h.agent, STORAGE, h.seen, () => ({
    status: 401,
    headers: { 'www-authenticate': EVIL_CHALLENGE }
  }))
  serve(h.agent, EVIL, h.seen, () => ({ status: 200, body: { token: 'attacker-token' } }))
  return h
}

/** Listen on a free 127.0.0.1 port. */
function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  )
}

/** Every credential form a request could carry to a host other than the registry's realm. */
function credentialsSentTo(seen: SeenRequest[], origin: string): string[] {
  return seen
    .filter((r) => r.origin === origin)
    .flatMap((r) => [
      r.headers.authorization ?? '',
      r.query.get('account') ?? '',
      r.body?.toString('utf8') ?? ''
    ])
    .filter((text) => text !== '')
}

describe('a 401 from another origin', () => {
  it('on a redirected blob GET is an error naming the host; the third host gets nothing', async () => {
    const h = hostileSetup(`${STORAGE}/blob`)
    // Learn the registry's challenge and get its token first, as a run does.
    await h.transport.send({ ...blobGet(), path: '/v2/a/b/manifests/v1', followRedirects: false })
    const error = await h.transport.send(blobGet()).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TransportError', code: 'FOREIGN_CHALLENGE' })
    expect((error as Error).message).toContain('storage.example')
    expect(h.seen.filter((r) => r.origin === EVIL)).toEqual([])
    expect(credentialsSentTo(h.seen, STORAGE)).toEqual([])
    // The registry never saw the attacker's token, and its own token still works.
    expect(h.seen.filter((r) => r.headers.authorization === 'Bearer attacker-token')).toEqual([])
    const tokenFetches = h.seen.filter((r) => r.origin === AUTH).length
    await h.transport.send({ ...blobGet(), path: '/v2/a/b/manifests/v2', followRedirects: false })
    expect(h.seen.filter((r) => r.origin === AUTH)).toHaveLength(tokenFetches)
  })

  it('on an upload to an absolute Location elsewhere changes no auth state', async () => {
    // Real loopback servers: a streamed body needs a real socket. Three ports, three origins.
    const seen: Array<{ server: string; authorization?: string; account?: string | null }> = []
    const servers = new Map<string, Server>()
    const start = async (
      name: string,
      handle: (req: IncomingMessage, res: ServerResponse) => void
    ) => {
      const server = createServer((req, res) => {
        seen.push({
          server: name,
          authorization: req.headers.authorization,
          account: new URL(req.url ?? '/', 'http://x').searchParams.get('account')
        })
        req.resume()
        req.on('end', () => handle(req, res))
      })
      servers.set(name, server)
      return `127.0.0.1:${await listen(server)}`
    }
    try {
      const evil = await start('evil', (_req, res) =>
        res.end(JSON.stringify({ token: 'attacker-token' }))
      )
      const storage = await start('storage', (_req, res) => {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${evil}/token",service="evil"`
        })
        res.end()
      })
      const auth = await start('auth', (_req, res) =>
        res.end(JSON.stringify({ token: 'good-token' }))
      )
      const registry = await start('registry', (req, res) => {
        if (req.headers.authorization !== 'Bearer good-token') {
          res.writeHead(401, {
            'www-authenticate': `Bearer realm="http://${auth}/token",service="reg"`
          })
          res.end()
        } else res.end('ok')
      })
      const transport = new Transport({ credentials: async () => USER })
      try {
        const manifest = (tag: string): RegistryRequest => ({
          ...blobGet(),
          registry,
          path: `/v2/a/b/manifests/${tag}`,
          followRedirects: false
        })
        await transport.send(manifest('v1'))
        const error = await transport
          .sendUpload({
            registry,
            method: 'PUT',
            path: `http://${storage}/upload/1?digest=sha256:1`,
            headers: { 'content-length': '2' },
            body: Readable.from([Buffer.from('hi')]),
            scope: 'repository:a/b:pull,push',
            context: { operation: 'PUT blob', target: `${registry}/a/b@sha256:1` },
            accept: [201]
          })
          .catch((e: unknown) => e)
        expect(error).toMatchObject({ name: 'TransportError', code: 'FOREIGN_CHALLENGE' })
        expect((error as Error).message).toContain(storage)
        // The next request to the registry is authorized as before: nothing was learned.
        await transport.send(manifest('v2'))
      } finally {
        await transport.close()
      }
      expect(seen.filter((r) => r.server === 'evil')).toEqual([])
      expect(seen.filter((r) => r.server === 'storage' && (r.authorization || r.account))).toEqual(
        []
      )
      expect(seen.filter((r) => r.authorization === 'Bearer attacker-token')).toEqual([])
    } finally {
      for (const server of servers.values()) {
        server.closeAllConnections()
        server.close()
      }
    }
  })
})

describe('a redirect from HTTPS to plain HTTP', () => {
  it('is refused for a host that is neither loopback nor insecure', async () => {
    const h = hostileSetup('http://storage.example/blob')
    serve(h.agent, 'http://storage.example', h.seen, () => ({ status: 200, body: 'x' }))
    const error = await h.transport.send(blobGet()).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TransportError', code: 'INSECURE_REDIRECT' })
    expect((error as Error).message).toContain('http://storage.example')
    expect(h.seen.filter((r) => r.origin === 'http://storage.example')).toEqual([])
  })

  it('is followed to loopback and to an insecure-registries host', async () => {
    for (const [location, insecure] of [
      ['http://127.0.0.1:7000/blob', []],
      ['http://storage.internal/blob', ['storage.internal']]
    ] as const) {
      const h = hostileSetup(location, { insecure: [...insecure] })
      serve(h.agent, new URL(location).origin, h.seen, () => ({ status: 200, body: 'blob' }))
      const response = await h.transport.send(blobGet())
      expect(response.body.toString()).toBe('blob')
      expect(credentialsSentTo(h.seen, new URL(location).origin)).toEqual([])
    }
  })
})
