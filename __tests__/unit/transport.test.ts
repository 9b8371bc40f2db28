/**
 * src/registry/transport/transport.ts (with auth.ts behind it) against scripted servers on an undici
 * MockAgent: the auth flows of docs/registry-protocol.md B.8, the retry rules of docs/design.md §3,
 * timeouts, the deadline and cancellation. Time is fake: `sleep` records and moves the clock.
 */
import { describe, it, expect } from '@jest/globals'
import {
  CancelledError,
  DeadlineError,
  RegistryError,
  TransportError
} from '../../src/registry/base/errors.js'
import { formatSeconds } from '../../src/registry/base/deadline.js'
import { Transport } from '../../src/registry/transport/transport.js'
import type { RegistryRequest } from '../../src/registry/transport/request.js'
import {
  basicOf,
  harness,
  serve,
  START,
  TEST_POLICY,
  USER,
  type Handler,
  type Reply,
  type SeenRequest
} from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = 'http://127.0.0.1:5000'
const AUTH = 'http://127.0.0.1:5001'
const CHALLENGE = `Bearer realm="${AUTH}/token",service="reg",scope="repository:a/b:pull"`
const PULL_PUSH = 'repository:a/b:pull,push'
const OK: Reply = { status: 200, body: 'ok' }

function get(path = '/v2/a/b/manifests/v1', extra: Partial<RegistryRequest> = {}): RegistryRequest {
  return {
    registry: REGISTRY,
    method: 'GET',
    path,
    scope: PULL_PUSH,
    context: { operation: 'GET manifest', target: `${REGISTRY}/a/b:v1` },
    accept: [200, 404],
    ...extra
  }
}

/**
 * A token registry: the token server hands out tok-1, tok-2, ...; the registry accepts the
 * tokens in `valid` (by default every issued token) and challenges everything else.
 */
function tokenRegistry(
  options: {
    body?: (n: number) => object
    valid?: Set<string>
    onAuthorized?: (req: SeenRequest) => Reply
  } = {}
) {
  const issued: string[] = []
  const valid = options.valid
  const tokenServer: Handler = () => {
    const token = `tok-${issued.length + 1}`
    issued.push(token)
    return {
      status: 200,
      body: options.body ? options.body(issued.length) : { token, expires_in: 300 }
    }
  }
  const registry: Handler = (req) => {
    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined
    const accepted = token !== undefined && (valid ? valid.has(token) : issued.includes(token))
    if (!accepted) {
      return {
        status: 401,
        headers: { 'www-authenticate': token ? `${CHALLENGE},error="invalid_token"` : CHALLENGE },
        body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }
      }
    }
    return options.onAuthorized ? options.onAuthorized(req) : OK
  }
  return { issued, tokenServer, registry }
}

const tokenRequests = (seen: SeenRequest[]) => seen.filter((r) => r.origin === AUTH)
const registryRequests = (seen: SeenRequest[]) => seen.filter((r) => r.origin === REG)

describe('Transport.baseUrl', () => {
  it('uses plain HTTP only for loopback and insecure-registries', () => {
    const t = new Transport({
      insecureRegistries: ['10.1.2.3:5000', 'Registry.Internal'],
      dispatcher: harness().agent
    })
    expect(t.baseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000')
    expect(t.baseUrl('127.1.2.3:5000')).toBe('http://127.1.2.3:5000')
    expect(t.baseUrl('localhost:5000')).toBe('http://localhost:5000')
    expect(t.baseUrl('[::1]:5000')).toBe('http://[::1]:5000')
    expect(t.baseUrl('ghcr.io')).toBe('https://ghcr.io')
    expect(t.baseUrl('10.1.2.3:5000')).toBe('http://10.1.2.3:5000')
    expect(t.baseUrl('registry.internal')).toBe('http://registry.internal')
    expect(t.baseUrl('10.1.2.3:5001')).toBe('https://10.1.2.3:5001')
    expect(t.baseUrl('docker.io')).toBe('https://registry-1.docker.io')
  })

  it('uses https for a private address that is not listed', () => {
    const t = new Transport({ dispatcher: harness().agent })
    expect(t.baseUrl('10.1.2.3:5000')).toBe('https://10.1.2.3:5000')
    expect(t.baseUrl('192.168.1.10')).toBe('https://192.168.1.10')
  })
})

describe('anonymous requests', () => {
  it('sends no Authorization and a User-Agent, and returns an accepted status', async () => {
    const h = harness({ userAgent: 'multiarch-index/test' })
    serve(h.agent, REG, h.seen, (req) => (req.path.endsWith('/missing') ? { status: 404 } : OK))
    const ok = await h.transport.send(get())
    expect(ok.status).toBe(200)
    expect(ok.body.toString()).toBe('ok')
    expect(ok.url).toBe(`${REG}/v2/a/b/manifests/v1`)
    const missing = await h.transport.send(get('/v2/a/b/manifests/missing'))
    expect(missing.status).toBe(404)
    expect(h.seen).toHaveLength(2)
    expect(h.seen[0].headers.authorization).toBeUndefined()
    expect(h.seen[0].headers['user-agent']).toBe('multiarch-index/test')
    expect(h.transport.requestCounts.get('GET manifest')).toBe(2)
  })

  it('throws a RegistryError for a status the caller did not accept', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 404,
      body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }
    }))
    const error = await h.transport
      .send(get('/v2/a/b/manifests/v1', { accept: [200] }))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as RegistryError).message).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: 404 MANIFEST_UNKNOWN: manifest unknown`
    )
    expect(h.seen).toHaveLength(1)
  })
})

describe('Bearer token flow', () => {
  it('answers the challenge with a token for the client scope, fetched with Basic credentials and account', async () => {
    const h = harness({ credentials: async (r) => (r === REGISTRY ? USER : undefined) })
    const server = tokenRegistry()
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)

    const response = await h.transport.send(get())
    expect(response.status).toBe(200)

    expect(h.seen.map((r) => `${r.origin} ${r.method}`)).toEqual([
      `${REG} GET`,
      `${AUTH} GET`,
      `${REG} GET`
    ])
    const [first, token, retry] = h.seen
    expect(first.headers.authorization).toBeUndefined()
    expect(new URL(token.path, AUTH).pathname).toBe('/token')
    expect(token.query.get('service')).toBe('reg')
    // The client's scope set, not the challenge's pull-only scope.
    expect(token.query.getAll('scope')).toEqual([PULL_PUSH])
    expect(token.query.get('account')).toBe(USER.username)
    expect(token.headers.authorization).toBe(basicOf(USER.username, USER.password))
    expect(retry.headers.authorization).toBe('Bearer tok-1')
    expect(h.transport.requestCounts.get('GET token')).toBe(1)
  })

  it('fetches an anonymous token without Authorization or account', async () => {
    const h = harness()
    const server = tokenRegistry()
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    await h.transport.send(get('/v2/a/b/manifests/v1', { scope: 'repository:a/b:pull' }))
    const [token] = tokenRequests(h.seen)
    expect(token.headers.authorization).toBeUndefined()
    expect(token.query.has('account')).toBe(false)
    expect(token.query.getAll('scope')).toEqual(['repository:a/b:pull'])
  })

  it('accepts the OAuth access_token alias', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry({ body: (n) => ({ access_token: `tok-${n}` }) })
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(registryRequests(h.seen)[1].headers.authorization).toBe('Bearer tok-1')
  })

  it('reuses the token for the same scope set: exactly one token request', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry()
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    await h.transport.send(get('/v2/a/b/manifests/v1'))
    await h.transport.send(get('/v2/a/b/manifests/v2'))
    await h.transport.send(get('/v2/a/b/blobs/sha256:1'))
    expect(tokenRequests(h.seen)).toHaveLength(1)
    // After the first challenge every request carries the token straight away.
    expect(registryRequests(h.seen).map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1'
    ])
  })

  it('gets a second token for a different scope set', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry()
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    await h.transport.send(get())
    await h.transport.send(get('/v2/c/d/manifests/v1', { scope: 'repository:c/d:pull' }))
    await h.transport.send(get('/v2/a/b/manifests/v2'))
    const tokens = tokenRequests(h.seen)
    expect(tokens.map((t) => t.query.getAll('scope'))).toEqual([
      [PULL_PUSH],
      ['repository:c/d:pull']
    ])
    expect(registryRequests(h.seen).map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer tok-1',
      'Bearer tok-2',
      'Bearer tok-1'
    ])
  })

  it('fetches a new token when the cached one is about to expire', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry({ body: (n) => ({ token: `tok-${n}`, expires_in: 60 }) })
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    await h.transport.send(get())
    h.time.advance(50_000)
    await h.transport.send(get())
    expect(tokenRequests(h.seen)).toHaveLength(1)
    h.time.advance(6_000) // 56 s: inside the 5 s renewal margin of a 60 s token
    await h.transport.send(get())
    expect(tokenRequests(h.seen)).toHaveLength(2)
    expect(registryRequests(h.seen).at(-1)!.headers.authorization).toBe('Bearer tok-2')
  })

  it('refetches the token once when a request that carried it gets a 401', async () => {
    const valid = new Set<string>()
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry({ valid })
    serve(h.agent, REG, h.seen, (req) => {
      // Each issued token is valid for one request only: the registry revoked tok-1 after use.
      const response = server.registry(req)
      if (response.status === 200) valid.delete(req.headers.authorization!.slice(7))
      return response
    })
    serve(h.agent, AUTH, h.seen, (req) => {
      const reply = server.tokenServer(req)
      valid.add(server.issued.at(-1)!)
      return reply
    })
    await h.transport.send(get())
    await expect(h.transport.send(get('/v2/a/b/manifests/v2'))).resolves.toMatchObject({
      status: 200
    })
    expect(tokenRequests(h.seen)).toHaveLength(2)
    expect(registryRequests(h.seen).map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2'
    ])
  })

  it('fails on a second 401 with a message naming the credential source, never the secrets', async () => {
    const valid = new Set<string>()
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry({ valid })
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, (req) => {
      const reply = server.tokenServer(req)
      // Only the first token is ever accepted, and only for the first request.
      if (server.issued.length === 1) valid.add('tok-1')
      return reply
    })
    await h.transport.send(get())
    valid.clear()
    const error = await h.transport.send(get('/v2/a/b/manifests/v2')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    const e = error as RegistryError
    expect(e.status).toBe(401)
    expect(e.code).toBe('UNAUTHORIZED')
    expect(e.message).toContain('GET manifest 127.0.0.1:5000/a/b:v1: 401 UNAUTHORIZED')
    expect(e.message).toContain(USER.source)
    for (const secret of [
      USER.password,
      basicOf(USER.username, USER.password).slice(6),
      'tok-1',
      'tok-2'
    ]) {
      expect(e.message).not.toContain(secret)
      expect(e.hint ?? '').not.toContain(secret)
    }
    // One refetch, not a loop.
    expect(tokenRequests(h.seen)).toHaveLength(2)
    expect(registryRequests(h.seen).map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2'
    ])
  })

  it('does not refetch on insufficient_scope for a token it just sent', async () => {
    const h = harness({ credentials: async () => USER })
    let first = true
    serve(h.agent, REG, h.seen, (req) => {
      if (!req.headers.authorization)
        return { status: 401, headers: { 'www-authenticate': CHALLENGE } }
      if (first) {
        first = false
        return OK
      }
      return {
        status: 401,
        headers: { 'www-authenticate': `${CHALLENGE},error="insufficient_scope"` },
        body: {
          errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }]
        }
      }
    })
    serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: 'tok' } }))
    await h.transport.send(get())
    await expect(h.transport.send(get())).rejects.toMatchObject({
      name: 'RegistryError',
      status: 401,
      code: 'DENIED'
    })
    expect(tokenRequests(h.seen)).toHaveLength(1)
    expect(registryRequests(h.seen)).toHaveLength(3)
  })

  it('fails with a RegistryError when the registry keeps challenging without a scheme it knows', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 401,
      headers: { 'www-authenticate': 'Negotiate' }
    }))
    await expect(h.transport.send(get())).rejects.toMatchObject({
      name: 'RegistryError',
      status: 401
    })
    // One /v2/ ping for a challenge it can use (docs/registry-quirks.md #16), then it gives up.
    expect(h.seen.map((r) => r.path)).toEqual(['/v2/a/b/manifests/v1', '/v2/'])
  })

  it('pings /v2/ for the challenge when a 401 carries none, then authenticates (docs/registry-quirks.md #16)', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry()
    // GCR: only the /v2/ ping carries WWW-Authenticate; every other 401 has none.
    serve(h.agent, REG, h.seen, (req) => {
      const reply = server.registry(req) as Reply
      if (reply.status !== 401 || req.path === '/v2/') return reply
      return { ...reply, headers: {} }
    })
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    const [first, second] = await Promise.all([h.transport.send(get()), h.transport.send(get())])
    expect([first.status, second.status]).toEqual([200, 200])
    expect(
      h.seen.map((r) => `${r.origin} ${r.method} ${new URL(r.path, r.origin).pathname}`)
    ).toEqual([
      `${REG} GET /v2/a/b/manifests/v1`,
      `${REG} GET /v2/`,
      `${AUTH} GET /token`,
      `${REG} GET /v2/a/b/manifests/v1`,
      `${REG} GET /v2/a/b/manifests/v1`
    ])
    expect(h.seen[4].headers.authorization).toBe('Bearer tok-1')
  })

  it('makes one token request for concurrent first requests', async () => {
    const h = harness({ credentials: async () => USER })
    const server = tokenRegistry()
    serve(h.agent, REG, h.seen, server.registry)
    serve(h.agent, AUTH, h.seen, server.tokenServer)
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => h.transport.send(get(`/v2/a/b/manifests/v${n}`)))
    )
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(tokenRequests(h.seen)).toHaveLength(1)
    // Only the first request meets the 401; the others wait for its challenge.
    expect(
      registryRequests(h.seen).filter((r) => r.headers.authorization === undefined)
    ).toHaveLength(1)
    expect(registryRequests(h.seen)).toHaveLength(6)
  })

  it('refuses a token realm over plain HTTP to a non-loopback host, sending nothing there', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, () => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="reg"' }
    }))
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'INSECURE_REALM' })
    expect((error as Error).message).toContain(
      'refusing to send credentials to a token realm over plain HTTP'
    )
    expect(h.seen.map((r) => r.origin)).toEqual([REG])
  })

  it('allows a plain-HTTP realm on a host listed in insecure-registries', async () => {
    const h = harness({ credentials: async () => USER, insecureRegistries: ['auth.internal:8080'] })
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === 'Bearer t'
        ? OK
        : {
            status: 401,
            headers: {
              'www-authenticate': 'Bearer realm="http://auth.internal:8080/token",service="reg"'
            }
          }
    )
    serve(h.agent, 'http://auth.internal:8080', h.seen, () => ({
      status: 200,
      body: { token: 't' }
    }))
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
  })

  it('reports a refused token request with a hint, never the password', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, () => ({ status: 401, headers: { 'www-authenticate': CHALLENGE } }))
    serve(h.agent, AUTH, h.seen, () => ({
      status: 401,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] }
    }))
    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.operation).toBe('GET token')
    expect(error.target).toBe(`${AUTH}/token`)
    expect(error.message).toContain('401 UNAUTHORIZED: invalid credentials')
    expect(error.message).toContain(USER.source)
    expect(error.message).not.toContain(USER.password)
    expect(error.message).not.toContain(USER.username) // the account query parameter stays out of the target
    expect(tokenRequests(h.seen)).toHaveLength(1)
  })

  it('retries a token server 503', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === 'Bearer t'
        ? OK
        : { status: 401, headers: { 'www-authenticate': CHALLENGE } }
    )
    let calls = 0
    serve(h.agent, AUTH, h.seen, () =>
      ++calls === 1 ? { status: 503 } : { status: 200, body: { token: 't' } }
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(tokenRequests(h.seen)).toHaveLength(2)
    expect(h.time.sleeps).toEqual([50])
  })

  it('rejects a token response without a token', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 401, headers: { 'www-authenticate': CHALLENGE } }))
    serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: '' } }))
    await expect(h.transport.send(get())).rejects.toThrow(
      'the token response has neither token nor access_token'
    )
  })
})

describe('Basic challenge', () => {
  it('sends the credentials as Basic to the registry, and straight away afterwards', async () => {
    const h = harness({ credentials: async () => USER })
    const expected = basicOf(USER.username, USER.password)
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === expected
        ? OK
        : { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } }
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    await expect(h.transport.send(get('/v2/a/b/manifests/v2'))).resolves.toMatchObject({
      status: 200
    })
    expect(h.seen.map((r) => r.headers.authorization)).toEqual([undefined, expected, expected])
    expect(h.transport.auth.knowsScheme(REGISTRY)).toBe(true)
  })

  it('without credentials fails with a hint that none were found', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="Registry Realm"' }
    }))
    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.status).toBe(401)
    expect(error.message).toContain('no credentials (anonymous)')
    expect(error.message).toContain('no credentials were found for this registry')
    expect(h.seen).toHaveLength(2)
  })
})

describe('retries', () => {
  it('retries 503 twice then succeeds, sleeping within the jitter ceilings', async () => {
    const randoms = [0.999, 0.25]
    const h = harness({ random: () => randoms.shift()! })
    let n = 0
    serve(h.agent, REG, h.seen, () => (++n <= 2 ? { status: 503, body: 'busy' } : OK))
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(h.seen).toHaveLength(3)
    expect(h.time.sleeps).toHaveLength(2)
    // Ceilings: base 100 ms after the first failure, 200 ms after the second.
    expect(h.time.sleeps[0]).toBeGreaterThanOrEqual(0)
    expect(h.time.sleeps[0]).toBeLessThan(TEST_POLICY.baseMs)
    expect(h.time.sleeps[1]).toBeLessThan(2 * TEST_POLICY.baseMs)
    expect(h.time.sleeps).toEqual([99, 50])
    expect(h.transport.retries).toBe(2)
  })

  // Retrying goes on until the deadline, so the log says when it starts and when it ends,
  // not every try (each try is under debug).
  it('logs one info line when retrying starts and one when the registry answers again', async () => {
    const h = harness()
    let n = 0
    serve(h.agent, REG, h.seen, () => (++n <= 2 ? { status: 503 } : OK))
    await h.transport.send(get())
    expect(h.logger.at('info')).toEqual([
      `GET manifest ${REGISTRY}/a/b:v1: 503 Service Unavailable; retrying until it answers or the step's timeout (600s left), next try in 0.1s`,
      `${REGISTRY}: answering again after 0.2s and 2 failed tries (GET manifest ${REGISTRY}/a/b:v1 succeeded)`
    ])
    expect(h.logger.at('debug')).toEqual([
      expect.stringMatching(
        /^GET manifest .*: 503 Service Unavailable; try 1 failed, next in 0.1s/
      ),
      expect.stringMatching(/^GET manifest .*: 503 Service Unavailable; try 2 failed, next in 0.1s/)
    ])
    expect(h.time.sleeps).toEqual([50, 100])
    expect(h.logger.at('warning')).toEqual([])
  })

  it('through a long outage: a line at growing intervals with the elapsed time and tries', async () => {
    const h = harness()
    // Down for 65 s of (fake) time, then up again.
    serve(h.agent, REG, h.seen, () => (h.time.now() < START + 65_000 ? { status: 503 } : OK))
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    const info = h.logger.at('info')
    expect(info[0]).toMatch(/: 503 Service Unavailable; retrying until it answers/)
    expect(info.slice(1, -1)).toEqual([
      expect.stringMatching(
        /^127\.0\.0\.1:5000: still failing after 1\ds, \d+ failed tries \(last: 503 Service Unavailable on GET manifest .*\); retrying until the step's timeout \(5\d\ds left\)$/
      ),
      expect.stringMatching(/^127\.0\.0\.1:5000: still failing after 3\ds, \d+ failed tries/),
      expect.stringMatching(/^127\.0\.0\.1:5000: still failing after 6\ds, \d+ failed tries/)
    ])
    expect(info.at(-1)).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:5000: answering again after 6\\ds and ${h.seen.length - 1} failed tries`
      )
    )
    // Every failed try is in the debug log.
    expect(h.logger.at('debug').filter((l) => l.includes('failed, next in'))).toHaveLength(
      h.seen.length - 1
    )
  })

  it('honours Retry-After in seconds on 429', async () => {
    const h = harness()
    let n = 0
    serve(h.agent, REG, h.seen, () =>
      ++n === 1
        ? {
            status: 429,
            headers: { 'retry-after': '2' },
            body: { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }
          }
        : OK
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(h.time.sleeps).toEqual([2_000])
    expect(h.logger.at('info')[0]).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: 429 Too Many Requests; retrying until it answers or the step's timeout (600s left), next try in 2s (Retry-After)`
    )
  })

  it('honours Retry-After as an HTTP-date relative to the injected clock', async () => {
    const h = harness()
    let n = 0
    serve(h.agent, REG, h.seen, () =>
      ++n === 1
        ? { status: 503, headers: { 'retry-after': new Date(START + 3_000).toUTCString() } }
        : OK
    )
    await h.transport.send(get())
    expect(h.time.sleeps).toEqual([3_000])
  })

  it('fails with a DeadlineError, without sleeping, when Retry-After passes the deadline', async () => {
    const h = harness({ deadline: START + 5_000 })
    serve(h.agent, REG, h.seen, () => ({ status: 429, headers: { 'retry-after': '60' } }))
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: 429 Too Many Requests; the next try would be in 60s (Retry-After), past the step's timeout (5s left)`
    )
    expect(h.time.sleeps).toEqual([])
    expect(h.seen).toHaveLength(1)
    // No "retry" line announces a retry that will not happen.
    expect(h.logger.at('info')).toEqual([])
  })

  it('does not retry 400 MANIFEST_INVALID', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 400,
      body: { errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }
    }))
    const error = await h.transport
      .send(get('/v2/a/b/manifests/v1', { method: 'PUT', body: Buffer.from('{}'), accept: [201] }))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect(error).toMatchObject({ status: 400, code: 'MANIFEST_INVALID' })
    expect(h.seen).toHaveLength(1)
    expect(h.time.sleeps).toEqual([])
  })

  it.each([403, 404, 501])('does not retry %i', async (status) => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status }))
    await expect(
      h.transport.send(get('/v2/a/b/manifests/v1', { accept: [200] }))
    ).rejects.toMatchObject({ status })
    expect(h.seen).toHaveLength(1)
  })

  // Was: the final error after a count of tries. The bound is now the step's deadline.
  it("retries a 5xx until the step's deadline, then fails naming the last answer", async () => {
    const h = harness({ deadline: START + 20_000 })
    serve(h.agent, REG, h.seen, () => ({
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>'
    }))
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^GET manifest ${REGISTRY}/a/b:v1: 502 Bad Gateway \\(${h.seen.length} tries over \\d+s\\); the next try would be in .*, past the step's timeout \\(.*s left\\)$`
      )
    )
    const last = (error as Error).cause as RegistryError
    expect(last).toBeInstanceOf(RegistryError)
    expect(last.message).toBe(`GET manifest ${REGISTRY}/a/b:v1: 502 502 Bad Gateway`)
    // Every wait fitted in the deadline, and the next would not have.
    expect(h.time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000)
    expect(h.seen).toHaveLength(h.time.sleeps.length + 1)
    expect(h.seen.length).toBeGreaterThan(20)
    // Start, and one "still failing" line at 10 s.
    expect(h.logger.at('info')).toHaveLength(2)
  })

  it('retries a network error', async () => {
    const h = harness()
    h.agent
      .get(REG)
      .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    h.agent.get(REG).intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' }).reply(200, 'ok')
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(h.time.sleeps).toEqual([50])
    expect(h.logger.at('info')[0]).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: network error ECONNRESET; retrying until it answers or the step's timeout (600s left), next try in 0.1s`
    )
    expect(h.agent.pendingInterceptors()).toEqual([])
  })

  // Was: refused connections retried for a count of tries. A registry that has never
  // answered now fails at once with what to check; once it has answered, refusals are an
  // outage and are retried.
  it.each([
    [
      'ECONNREFUSED',
      'connect ECONNREFUSED 127.0.0.1:5000',
      'nothing accepts connections at 127.0.0.1:5000 (ECONNREFUSED)'
    ],
    [
      'ENOTFOUND',
      'getaddrinfo ENOTFOUND 127.0.0.1',
      'the name 127.0.0.1 does not resolve (ENOTFOUND)'
    ]
  ])(
    'fails at once, with what to check, on %s from a registry that never answered',
    async (code, message, cause) => {
      const h = harness()
      h.agent
        .get(REG)
        .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
        .replyWithError(Object.assign(new Error(message), { code }))
      const error = await h.transport.send(get()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({ code: 'UNREACHABLE', operation: 'GET manifest' })
      expect((error as Error).message).toBe(
        `GET manifest ${REGISTRY}/a/b:v1: cannot reach ${REGISTRY}: ${cause}, and it has not answered any request; check the registry host and port in the image name, that the registry is up, and that this machine can reach it (DNS, proxy, firewall)`
      )
      expect((error as Error).message).not.toContain('\n')
      expect(h.time.sleeps).toEqual([])
      expect(h.logger.at('info')).toEqual([])
    }
  )

  it('retries a refused connection once the registry has answered before', async () => {
    const h = harness()
    const path = '/v2/a/b/manifests/v1'
    h.agent.get(REG).intercept({ path, method: 'GET' }).reply(200, 'ok')
    h.agent
      .get(REG)
      .intercept({ path, method: 'GET' })
      .replyWithError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' })
      )
      .times(3)
    h.agent.get(REG).intercept({ path, method: 'GET' }).reply(200, 'back')
    await h.transport.send(get())
    const response = await h.transport.send(get())
    expect(response.body.toString()).toBe('back')
    expect(h.time.sleeps).toHaveLength(3)
    expect(h.agent.pendingInterceptors()).toEqual([])
  })

  it('sends the body again on a retried PUT', async () => {
    const h = harness()
    let n = 0
    serve(h.agent, REG, h.seen, () => (++n === 1 ? { status: 500 } : { status: 201 }))
    const body = Buffer.from('{"schemaVersion":2}')
    await h.transport.send(get('/v2/a/b/manifests/v1', { method: 'PUT', body, accept: [201] }))
    expect(h.seen.map((r) => r.body?.toString())).toEqual([body.toString(), body.toString()])
  })
})

describe('timeouts, deadline and cancellation', () => {
  // Was: a count of 2 tries. Now the deadline ends the retries (fake time moves only in
  // the backoff sleeps: 50 ms, then a 100 ms wait would pass it).
  it('retries a reply slower than requestTimeoutMs, then fails at the deadline naming the TIMEOUT', async () => {
    const h = harness({
      policy: { ...TEST_POLICY, requestTimeoutMs: 50 },
      deadline: START + 100
    })
    h.agent
      .get(REG)
      .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
      .reply(200, 'late')
      .delay(1_000)
      .times(2)
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    const cause = (error as Error).cause
    expect(cause).toBeInstanceOf(TransportError)
    expect(cause).toMatchObject({ code: 'TIMEOUT' })
    expect((cause as Error).message).toBe(
      `GET manifest ${REGISTRY}/a/b:v1: no complete answer within 0.1s`
    )
    expect(h.time.sleeps).toHaveLength(1)
    expect(h.logger.at('info')).toEqual([
      `GET manifest ${REGISTRY}/a/b:v1: timed out; retrying until it answers or the step's timeout (0.1s left), next try in 0.1s`
    ])
  })

  it('succeeds when only the first reply is too slow', async () => {
    const h = harness({ policy: { ...TEST_POLICY, requestTimeoutMs: 50 } })
    h.agent
      .get(REG)
      .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
      .reply(200, 'late')
      .delay(1_000)
    h.agent.get(REG).intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' }).reply(200, 'fast')
    const response = await h.transport.send(get())
    expect(response.body.toString()).toBe('fast')
  })

  it('turns a timeout cut short by the deadline into a DeadlineError', async () => {
    const h = harness({ deadline: START + 40 })
    h.agent
      .get(REG)
      .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
      .reply(200, 'late')
      .delay(1_000)
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toContain("(the step's timeout)")
    expect(h.time.sleeps).toEqual([])
  })

  it('fails with a DeadlineError before sending when the deadline has passed', async () => {
    const h = harness({ deadline: START })
    serve(h.agent, REG, h.seen, () => OK)
    await expect(h.transport.send(get())).rejects.toThrow(DeadlineError)
    expect(h.seen).toHaveLength(0)
  })

  it('fails with a DeadlineError when a backoff would pass the deadline', async () => {
    const h = harness({ deadline: START + 30 })
    serve(h.agent, REG, h.seen, () => ({ status: 503 }))
    await expect(h.transport.send(get())).rejects.toThrow(
      "the next try would be in 0.1s, past the step's timeout"
    )
    expect(h.seen).toHaveLength(1)
    expect(h.time.sleeps).toEqual([])
  })

  it('throws CancelledError before any request when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const h = harness({ signal: controller.signal })
    serve(h.agent, REG, h.seen, () => OK)
    await expect(h.transport.send(get())).rejects.toThrow(CancelledError)
    expect(h.seen).toHaveLength(0)
  })

  it('fails every later request to the registry too, instead of leaving it waiting', async () => {
    const controller = new AbortController()
    controller.abort()
    const h = harness({ signal: controller.signal })
    serve(h.agent, REG, h.seen, () => OK)
    await expect(h.transport.send(get())).rejects.toThrow(CancelledError)
    await expect(h.transport.send(get('/v2/a/b/manifests/v2'))).rejects.toThrow(CancelledError)
    expect(h.seen).toHaveLength(0)
  }, 5_000)

  it('stops a retry wait when the signal aborts during it', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    h.time.onSleep = () => controller.abort()
    serve(h.agent, REG, h.seen, () => ({ status: 503 }))
    await expect(h.transport.send(get())).rejects.toThrow(CancelledError)
    expect(h.seen).toHaveLength(1)
    expect(h.time.sleeps).toHaveLength(1)
  })

  it('cancels a request in flight', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    h.agent
      .get(REG)
      .intercept({ path: '/v2/a/b/manifests/v1', method: 'GET' })
      .reply(200, 'late')
      .delay(5_000)
    const sending = h.transport.send(get())
    setImmediate(() => controller.abort())
    await expect(sending).rejects.toThrow(CancelledError)
    expect(h.time.sleeps).toEqual([])
  })
})

describe('limits and redirects', () => {
  it('refuses a body over maxBodyBytes without retrying', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({ status: 200, body: Buffer.alloc(2048, 1) }))
    await expect(
      h.transport.send(get('/v2/a/b/manifests/v1', { maxBodyBytes: 1024 }))
    ).rejects.toMatchObject({
      name: 'TransportError',
      code: 'TOO_LARGE'
    })
    expect(h.seen).toHaveLength(1)
  })

  it('does not follow redirects unless asked', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 307,
      headers: { location: 'http://127.0.0.2:9000/x' }
    }))
    await expect(
      h.transport.send(get('/v2/a/b/blobs/sha256:1', { accept: [200] }))
    ).rejects.toMatchObject({ status: 307 })
    expect(h.seen).toHaveLength(1)
  })

  it('fails a redirect without Location, and a redirect loop, with REDIRECT', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) =>
      req.path.includes('noloc')
        ? { status: 302 }
        : { status: 302, headers: { location: req.path } }
    )
    await expect(
      h.transport.send(get('/v2/a/b/blobs/noloc', { followRedirects: true, accept: [200] }))
    ).rejects.toMatchObject({
      code: 'REDIRECT'
    })
    await expect(
      h.transport.send(get('/v2/a/b/blobs/loop', { followRedirects: true, accept: [200] }))
    ).rejects.toMatchObject({
      code: 'REDIRECT'
    })
    expect(h.seen.filter((r) => r.path.includes('loop'))).toHaveLength(6)
  })
})

describe('formatSeconds', () => {
  it('rounds to tenths under 10 s and to seconds above', () => {
    expect(formatSeconds(0)).toBe('0s')
    expect(formatSeconds(50)).toBe('0.1s')
    expect(formatSeconds(1_499)).toBe('1.5s')
    expect(formatSeconds(12_600)).toBe('13s')
  })
})

describe('insufficient_scope', () => {
  it('names the scope that was asked for in the error hint', async () => {
    const h = harness({ credentials: async () => USER })
    const seenTokens: SeenRequest[] = []
    serve(h.agent, AUTH, seenTokens, () => ({
      status: 200,
      body: JSON.stringify({ token: 'tok-1' })
    }))
    serve(h.agent, REG, h.seen, (request) =>
      request.headers.authorization === 'Bearer tok-1'
        ? {
            status: 401,
            headers: { 'www-authenticate': `${CHALLENGE},error="insufficient_scope"` }
          }
        : { status: 401, headers: { 'www-authenticate': CHALLENGE } }
    )
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as Error).message).toContain(`the token does not grant ${PULL_PUSH}`)
    expect((error as Error).message).toContain('Credentials used: the username/password inputs')
    expect((error as Error).message).not.toContain(USER.password)
    // One anonymous try, one with the token: insufficient_scope is not retried with a new token.
    expect(h.seen).toHaveLength(2)
    expect(seenTokens).toHaveLength(1)
  })
})
