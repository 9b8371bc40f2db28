/**
 * src/registry/transport/token-client.ts on its own, against a plain node:http token server on
 * 127.0.0.1 (no MockAgent, no Transport): the grant it reads (distribution auth/token.md:
 * `token` or `access_token`, `expires_in`), the OAuth2 refresh-token POST and its GET fallback
 * (auth/oauth.md), where Basic credentials go, and the typed failures: refusals, bodies that
 * are not a grant, oversize bodies, a realm that never answers or cannot be reached.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { Deadline } from '../../src/registry/base/deadline.js'
import { RegistryError, TransportError } from '../../src/registry/base/errors.js'
import { retry } from '../../src/registry/base/retry.js'
import { SILENT_LOGGER } from '../../src/registry/base/logger.js'
import type { Credentials } from '../../src/registry/credentials/credentials.js'
import { HttpExchange } from '../../src/registry/transport/exchange.js'
import { Agent } from '../../src/registry/transport/http.js'
import { TokenClient, type TokenRequest } from '../../src/registry/transport/token-client.js'
import { closeHttpServer, listenLoopback } from '../helpers/util.js'

interface Seen {
  method: string
  path: string
  query: URLSearchParams
  authorization: string | undefined
  body: string
}

type Route = (req: IncomingMessage, res: ServerResponse) => void

const PASSWORD: Credentials = { username: 'alice', password: 'pa55-Word', source: 'the inputs' }
const seen: Seen[] = []
const routes = new Map<string, Route>()
const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks).toString('utf8')
    })
    const route = routes.get(`${req.method} ${url.pathname}`)
    if (route) route(req, res)
    else res.writeHead(404).end()
  })
})
const agent = new Agent({ keepAliveTimeout: 1000 })
let origin = ''

beforeAll(async () => {
  origin = `http://127.0.0.1:${await listenLoopback(server)}`
})

afterAll(async () => {
  await agent.close()
  await closeHttpServer(server)
})

beforeEach(() => {
  seen.length = 0
  routes.clear()
})

function json(status: number, body: unknown): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }
}

/** A token client over a real exchange and the one retry loop: three tries, no waits. */
function client(options: { requestTimeoutMs?: number; plainHttp?: boolean } = {}) {
  const deadline = new Deadline(Date.now() + 30_000)
  const http = new HttpExchange(agent, options.requestTimeoutMs ?? 5_000, deadline)
  const requests: string[] = []
  const tokens = new TokenClient({
    exchange: (_slot, url, method, headers, body, context) =>
      http.buffered({ url, method, headers, body, context }),
    retrying: (_key, what, run) =>
      retry(run, {
        what,
        policy: { baseMs: 0, capMs: 0, jitter: 'none', tries: 3 },
        deadline,
        random: () => 0
      }),
    allowsPlainHttp: () => options.plainHttp ?? true,
    now: () => Date.now(),
    logger: SILENT_LOGGER,
    userAgent: 'multiarch-index-test',
    onRequest: (method) => requests.push(method)
  })
  return { tokens, requests }
}

function ask(extra: Partial<TokenRequest> = {}): TokenRequest {
  return {
    realm: `${origin}/token`,
    service: 'registry.test',
    scopes: ['repository:o/a:pull', 'repository:o/b:pull,push'],
    credentials: undefined,
    ...extra
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a failure')
}

describe('token grant', () => {
  it('reads `token` and `expires_in`, and asks with service and every scope', async () => {
    routes.set('GET /token', json(200, { token: 'tok-1', expires_in: 300 }))
    const { tokens, requests } = client()
    await expect(tokens.fetch(ask())).resolves.toEqual({ token: 'tok-1', expiresInSeconds: 300 })
    expect(seen).toHaveLength(1)
    expect(seen[0].query.get('service')).toBe('registry.test')
    expect(seen[0].query.getAll('scope')).toEqual([
      'repository:o/a:pull',
      'repository:o/b:pull,push'
    ])
    expect(seen[0].authorization).toBeUndefined()
    expect(requests).toEqual(['GET'])
  })

  it('reads the OAuth alias `access_token`, with 60 s when no expiry is given', async () => {
    routes.set('GET /token', json(200, { access_token: 'acc-1' }))
    await expect(client().tokens.fetch(ask())).resolves.toEqual({
      token: 'acc-1',
      expiresInSeconds: 60
    })
  })

  it('refuses a body that is not JSON, saying which credentials were used', async () => {
    routes.set('GET /token', (_req, res) => res.writeHead(200).end('<html>sign in</html>'))
    const error = await failure(client().tokens.fetch(ask({ credentials: PASSWORD })))
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.message).toContain('neither token nor access_token (credentials: the inputs)')
    expect(error.message).not.toContain(PASSWORD.password)
  })

  it('refuses a body larger than the bound without reading it all', async () => {
    routes.set('GET /token', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(Buffer.alloc(17 * 1024 * 1024, 0x20))
    })
    const error = await failure(client().tokens.fetch(ask()))
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).code).toBe('TOO_LARGE')
  })
})

describe('credentials', () => {
  it('sends a password as Basic to the token realm, with the account', async () => {
    routes.set('GET /token', json(200, { token: 'tok-2' }))
    await client().tokens.fetch(ask({ credentials: PASSWORD }))
    expect(seen).toHaveLength(1)
    expect(seen[0].path).toBe('/token')
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from('alice:pa55-Word').toString('base64')}`)
    expect(seen[0].query.get('account')).toBe('alice')
  })

  it('never sends a registry token to the realm', async () => {
    routes.set('GET /token', json(200, { token: 'tok-3' }))
    const registryToken: Credentials = {
      username: '',
      password: 'reg-Token',
      kind: 'registry-token',
      source: 'the Docker config'
    }
    await client().tokens.fetch(ask({ credentials: registryToken }))
    expect(seen[0].authorization).toBeUndefined()
    expect(seen[0].query.has('account')).toBe(false)
  })

  it('sends nothing to a realm over plain HTTP that is not loopback or insecure', async () => {
    const error = await failure(
      client({ plainHttp: false }).tokens.fetch(ask({ credentials: PASSWORD }))
    )
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).code).toBe('INSECURE_REALM')
    expect(seen).toHaveLength(0)
  })

  it('posts an identity token as an OAuth2 refresh token', async () => {
    routes.set('POST /token', json(200, { access_token: 'from-post' }))
    const identity: Credentials = { ...PASSWORD, kind: 'identity-token', password: 'refresh-1' }
    const { tokens, requests } = client()
    await expect(tokens.fetch(ask({ credentials: identity }))).resolves.toMatchObject({
      token: 'from-post'
    })
    const form = new URLSearchParams(seen[0].body)
    expect(form.get('grant_type')).toBe('refresh_token')
    expect(form.get('refresh_token')).toBe('refresh-1')
    expect(form.get('scope')).toBe('repository:o/a:pull repository:o/b:pull,push')
    expect(seen[0].authorization).toBeUndefined()
    expect(requests).toEqual(['POST'])
  })

  it("falls back to GET with Basic when the POST is not supported (containerd's fallback)", async () => {
    routes.set('POST /token', json(404, {}))
    routes.set('GET /token', json(200, { token: 'from-get' }))
    const identity: Credentials = { ...PASSWORD, kind: 'identity-token', password: 'refresh-1' }
    const { tokens, requests } = client()
    await expect(tokens.fetch(ask({ credentials: identity }))).resolves.toMatchObject({
      token: 'from-get'
    })
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET'])
    expect(seen[1].authorization).toBe(`Basic ${Buffer.from('alice:refresh-1').toString('base64')}`)
    expect(requests).toEqual(['POST', 'GET'])
  })
})

describe('refusals and failures', () => {
  it.each([401, 403])(
    'a %i from the realm fails at once, naming the credential source',
    async (status) => {
      routes.set(
        'GET /token',
        json(status, { errors: [{ code: 'DENIED', message: 'no access to o/b' }] })
      )
      const error = await failure(client().tokens.fetch(ask({ credentials: PASSWORD })))
      expect(error).toBeInstanceOf(RegistryError)
      expect((error as RegistryError).status).toBe(status)
      expect((error as RegistryError).code).toBe('DENIED')
      expect((error as RegistryError).hint).toContain('Credentials used: the inputs')
      expect(error.message).not.toContain(PASSWORD.password)
      expect(seen).toHaveLength(1)
    }
  )

  it('retries a 503 through the retry loop, then takes the grant', async () => {
    let calls = 0
    routes.set('GET /token', (req, res) => {
      calls++
      if (calls === 1) json(503, {})(req, res)
      else json(200, { token: 'after-503' })(req, res)
    })
    const { tokens, requests } = client()
    await expect(tokens.fetch(ask())).resolves.toMatchObject({ token: 'after-503' })
    expect(requests).toEqual(['GET', 'GET'])
  })

  it('cuts off a realm that never answers, typed as a timeout', async () => {
    routes.set('GET /token', () => undefined)
    const error = await failure(client({ requestTimeoutMs: 100 }).tokens.fetch(ask()))
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).code).toBe('TIMEOUT')
    expect(seen).toHaveLength(3)
  })

  it('fails at once on a realm that cannot be reached and never answered', async () => {
    const closed = createServer()
    const port = await listenLoopback(closed)
    await closeHttpServer(closed)
    const error = await failure(
      client().tokens.fetch(ask({ realm: `http://127.0.0.1:${port}/token` }))
    )
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).code).toBe('UNREACHABLE')
    expect(error.message).toContain(`nothing accepts connections at 127.0.0.1:${port}`)
  })
})
