/**
 * The Docker-config token kinds through src/registry/transport/transport.ts and auth.ts, against
 * scripted servers on an undici MockAgent (docs/registry-protocol.md §B.8): an identity token is
 * an OAuth2 refresh token (POST grant_type=refresh_token, containerd's GET fallback on 400,
 * 401, 404 and 405), a registry token goes to the registry as it is, and a password never
 * takes the POST path. Time is fake; no secret may reach a message or a log line.
 */
import { describe, it, expect } from '@jest/globals'
import type { Credentials } from '../../src/registry/credentials/credentials.js'
import { DeadlineError, RegistryError, TransportError } from '../../src/registry/base/errors.js'
import type { RegistryRequest } from '../../src/registry/transport/request.js'
import {
  basicOf,
  harness,
  serve,
  START,
  USER,
  type Handler,
  type Harness,
  type SeenRequest
} from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = 'http://127.0.0.1:5000'
const AUTH = 'http://127.0.0.1:5001'
const PULL_PUSH = 'repository:a/b:pull,push'
const CHALLENGE = `Bearer realm="${AUTH}/token",service="reg",scope="repository:a/b:pull"`

const REFRESH = 'refresh-Token-Secret-0001'
const ACCESS = 'access-Token-From-Post-01'
const FROM_GET = 'access-Token-From-Get-001'
const REGISTRY_TOKEN = 'registry-Token-Secret-001'
const SECRETS = [REFRESH, ACCESS, FROM_GET, REGISTRY_TOKEN, USER.password]

const IDENTITY: Credentials = {
  username: 'acr-user',
  password: REFRESH,
  kind: 'identity-token',
  source: 'the Docker config /c/config.json (auths[127.0.0.1:5000])'
}
const REGISTRY_TOKEN_CREDENTIALS: Credentials = {
  username: '',
  password: REGISTRY_TOKEN,
  kind: 'registry-token',
  source: 'the Docker config /c/config.json (auths[127.0.0.1:5000])'
}

function get(extra: Partial<RegistryRequest> = {}): RegistryRequest {
  return {
    registry: REGISTRY,
    method: 'GET',
    path: '/v2/a/b/manifests/v1',
    scope: PULL_PUSH,
    context: { operation: 'GET manifest', target: `${REGISTRY}/a/b:v1` },
    accept: [200, 404],
    ...extra
  }
}

/** A registry that accepts exactly `Bearer <accepted>` and challenges everything else. */
function registry(accepted: string, challenge = CHALLENGE): Handler {
  return (req) =>
    req.headers.authorization === `Bearer ${accepted}`
      ? { status: 200, body: 'ok' }
      : {
          status: 401,
          headers: { 'www-authenticate': challenge },
          body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }
        }
}

/** A token server: POST and GET answered by their own scripts. */
function tokenServer(
  post: (n: number, req: SeenRequest) => { status: number; body?: object },
  getReply?: () => { status: number; body?: object }
): Handler {
  let posts = 0
  return (req) => {
    if (req.method === 'POST') return post(++posts, req)
    return getReply ? getReply() : { status: 200, body: { token: FROM_GET, expires_in: 300 } }
  }
}

const tokenRequests = (seen: SeenRequest[]) => seen.filter((r) => r.origin === AUTH)
const registryRequests = (seen: SeenRequest[]) => seen.filter((r) => r.origin === REG)
const form = (req: SeenRequest) => new URLSearchParams(req.body?.toString('utf8') ?? '')

/** Nothing a user could see (messages, every log line) carries a secret. */
function expectNoSecrets(h: Harness, ...texts: string[]) {
  const shown = [...texts, ...h.logger.lines.map((l) => l.message)]
  for (const text of shown) for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('identity token (OAuth2 refresh token)', () => {
  it('POSTs grant_type=refresh_token to the realm and uses the access_token as Bearer', async () => {
    const h = harness({
      credentials: async (r) => (r === REGISTRY ? IDENTITY : undefined),
      userAgent: 'multiarch-index/9'
    })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 200, body: { access_token: ACCESS, expires_in: 300 } }))
    )

    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })

    expect(h.seen.map((r) => `${r.origin} ${r.method}`)).toEqual([
      `${REG} GET`,
      `${AUTH} POST`,
      `${REG} GET`
    ])
    const [post] = tokenRequests(h.seen)
    expect(post.path).toBe('/token')
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded')
    // The refresh token travels in the form only, not as Basic.
    expect(post.headers.authorization).toBeUndefined()
    expect(Object.fromEntries(form(post))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      client_id: 'multiarch-index/9',
      service: 'reg',
      scope: PULL_PUSH
    })
    const [first, retried] = registryRequests(h.seen)
    expect(first.headers.authorization).toBeUndefined()
    expect(retried.headers.authorization).toBe(`Bearer ${ACCESS}`)
    expect(h.transport.requestCounts.get('POST token')).toBe(1)
    expect(h.transport.requestCounts.get('GET token')).toBeUndefined()
    expectNoSecrets(h)
  })

  it('joins several scopes with spaces in one scope field', async () => {
    const twoScopes = `Bearer realm="${AUTH}/token",service="reg",scope="repository:a/b:pull repository:c/d:pull"`
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, registry(ACCESS, twoScopes))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 200, body: { token: ACCESS } }))
    )
    // No scope of its own: the challenge's scope set is asked for.
    await expect(h.transport.send(get({ scope: undefined }))).resolves.toMatchObject({
      status: 200
    })
    const [post] = tokenRequests(h.seen)
    expect(form(post).getAll('scope')).toEqual(['repository:a/b:pull repository:c/d:pull'])
    expect(form(post).get('client_id')).toBe('multiarch-index')
  })

  it('reuses the exchanged token: one POST for several requests', async () => {
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 200, body: { access_token: ACCESS, expires_in: 300 } }))
    )
    await h.transport.send(get())
    await h.transport.send(get({ path: '/v2/a/b/manifests/v2' }))
    expect(tokenRequests(h.seen)).toHaveLength(1)
    expect(registryRequests(h.seen).map((r) => r.headers.authorization)).toEqual([
      undefined,
      `Bearer ${ACCESS}`,
      `Bearer ${ACCESS}`
    ])
  })

  it.each([{ status: 404 }, { status: 405 }, { status: 400 }, { status: 401 }])(
    'falls back to GET with Basic username:identitytoken when the POST answers $status',
    async ({ status }) => {
      const h = harness({ credentials: async () => IDENTITY })
      serve(h.agent, REG, h.seen, registry(FROM_GET))
      serve(
        h.agent,
        AUTH,
        h.seen,
        tokenServer(() => ({
          status,
          body: { errors: [{ code: 'UNSUPPORTED', message: 'no POST here' }] }
        }))
      )

      await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })

      const tokens = tokenRequests(h.seen)
      expect(tokens.map((t) => t.method)).toEqual(['POST', 'GET'])
      const fallback = tokens[1]
      expect(fallback.headers.authorization).toBe(basicOf(IDENTITY.username, REFRESH))
      expect(fallback.query.get('service')).toBe('reg')
      expect(fallback.query.getAll('scope')).toEqual([PULL_PUSH])
      expect(fallback.query.get('account')).toBe(IDENTITY.username)
      expect(registryRequests(h.seen).at(-1)!.headers.authorization).toBe(`Bearer ${FROM_GET}`)
      // One debug line says why, naming the realm but not the token.
      expect(h.logger.at('debug')).toContain(
        `POST token ${AUTH}/token: ${status}; trying GET (containerd's fallback)`
      )
      expect(h.time.sleeps).toEqual([])
      expectNoSecrets(h)
    }
  )

  it("falls back with an empty user name for a helper's <token> identity token, sending no account", async () => {
    const h = harness({ credentials: async () => ({ ...IDENTITY, username: '' }) })
    serve(h.agent, REG, h.seen, registry(FROM_GET))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 404 }))
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    const fallback = tokenRequests(h.seen)[1]
    expect(fallback.headers.authorization).toBe(basicOf('', REFRESH))
    expect(fallback.query.has('account')).toBe(false)
  })

  it('retries a POST 500 per the policy, then uses the token, without a GET', async () => {
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer((n) =>
        n <= 2 ? { status: 500 } : { status: 200, body: { access_token: ACCESS } }
      )
    )

    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })

    expect(tokenRequests(h.seen).map((t) => t.method)).toEqual(['POST', 'POST', 'POST'])
    // Full jitter at random() = 0.5: half of the 100 ms and 200 ms ceilings.
    expect(h.time.sleeps).toEqual([50, 100])
    expect(h.transport.retries).toBe(2)
    // One line when retrying starts, one when the token service answers again.
    expect(h.logger.at('info')).toEqual([
      `POST token ${AUTH}/token: 500 Internal Server Error; retrying until it answers or the step's timeout (600s left), next try in 0.1s`,
      `token 127.0.0.1:5001: answering again after 0.2s and 2 failed tries (POST token ${AUTH}/token succeeded)`
    ])
    expectNoSecrets(h)
  })

  // Retries are bounded by the step's deadline now, not by a count of tries.
  it("gives up at the step's deadline when every POST answers 500, and never tries GET", async () => {
    const h = harness({ credentials: async () => IDENTITY, deadline: START + 2_000 })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 500 }))
    )
    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as DeadlineError
    expect(error).toBeInstanceOf(DeadlineError)
    expect(error.message).toMatch(
      /^POST token .*: 500 Internal Server Error \(\d+ tries over .*\); the next try would be in .*, past the step's timeout/
    )
    expect(error.cause).toBeInstanceOf(RegistryError)
    expect((error.cause as RegistryError).status).toBe(500)
    // Every wait fitted in the deadline; one POST per wait, plus the first.
    expect(h.time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000)
    const methods = tokenRequests(h.seen).map((t) => t.method)
    expect(methods).toEqual(Array(h.time.sleeps.length + 1).fill('POST'))
    expect(methods.length).toBeGreaterThan(4)
    expectNoSecrets(h, error.message)
  })

  it('fails on a POST 403 with a hint naming the source, and does not fall back to GET', async () => {
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({
        status: 403,
        body: { errors: [{ code: 'DENIED', message: 'refresh token revoked' }] }
      }))
    )

    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.status).toBe(403)
    expect(error.operation).toBe('POST token')
    expect(error.target).toBe(`${AUTH}/token`)
    expect(error.message).toContain('403 DENIED: refresh token revoked')
    expect(error.message).toContain(IDENTITY.source)
    expect(tokenRequests(h.seen).map((t) => t.method)).toEqual(['POST'])
    expect(registryRequests(h.seen)).toHaveLength(1)
    expectNoSecrets(h, error.message)
  })

  it('reports a GET fallback that is refused too, never the token', async () => {
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, registry(ACCESS))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(
        () => ({ status: 404 }),
        () => ({ status: 401, body: { errors: [{ code: 'UNAUTHORIZED', message: 'bad token' }] } })
      )
    )
    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.operation).toBe('GET token')
    expect(error.message).toContain('401 UNAUTHORIZED: bad token')
    expect(error.message).toContain(IDENTITY.source)
    expect(error.message).not.toContain(IDENTITY.username) // account stays out of the target
    expectNoSecrets(h, error.message)
  })

  it('refuses to POST an identity token to a plain-HTTP realm on another host', async () => {
    const h = harness({ credentials: async () => IDENTITY })
    serve(h.agent, REG, h.seen, () => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="reg"' }
    }))
    const error = await h.transport.send(get()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).code).toBe('INSECURE_REALM')
    expect(h.seen.every((r) => r.origin === REG)).toBe(true)
  })
})

describe('registry token', () => {
  it('goes to the registry as Bearer after the challenge; no token endpoint is called', async () => {
    const h = harness({ credentials: async () => REGISTRY_TOKEN_CREDENTIALS })
    serve(h.agent, REG, h.seen, registry(REGISTRY_TOKEN))
    serve(h.agent, AUTH, h.seen, () => ({ status: 500 }))

    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    await expect(h.transport.send(get({ path: '/v2/a/b/manifests/v2' }))).resolves.toMatchObject({
      status: 200
    })

    expect(tokenRequests(h.seen)).toEqual([])
    expect(h.seen.map((r) => r.headers.authorization)).toEqual([
      undefined,
      `Bearer ${REGISTRY_TOKEN}`,
      `Bearer ${REGISTRY_TOKEN}`
    ])
    expect(h.transport.requestCounts.get('GET token')).toBeUndefined()
    expect(h.transport.requestCounts.get('POST token')).toBeUndefined()
    expectNoSecrets(h)
  })

  it('is sent as Bearer on a Basic challenge too', async () => {
    const h = harness({ credentials: async () => REGISTRY_TOKEN_CREDENTIALS })
    serve(h.agent, REG, h.seen, registry(REGISTRY_TOKEN, 'Basic realm="Registry Realm"'))
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(h.seen.map((r) => r.headers.authorization)).toEqual([
      undefined,
      `Bearer ${REGISTRY_TOKEN}`
    ])
  })

  it('a refused registry token fails with the source named and not the token', async () => {
    const h = harness({ credentials: async () => REGISTRY_TOKEN_CREDENTIALS })
    serve(h.agent, REG, h.seen, registry('something-else'))
    serve(h.agent, AUTH, h.seen, () => ({ status: 500 }))
    const error = (await h.transport.send(get()).catch((e: unknown) => e)) as RegistryError
    expect(error).toBeInstanceOf(RegistryError)
    expect(error.status).toBe(401)
    expect(error.message).toContain(REGISTRY_TOKEN_CREDENTIALS.source)
    expect(tokenRequests(h.seen)).toEqual([])
    expectNoSecrets(h, error.message)
  })
})

describe('password credentials', () => {
  it('never POST: the token is fetched with GET and Basic', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, registry(FROM_GET))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 200, body: { access_token: ACCESS } }))
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    const tokens = tokenRequests(h.seen)
    expect(tokens.map((t) => t.method)).toEqual(['GET'])
    expect(tokens[0].headers.authorization).toBe(basicOf(USER.username, USER.password))
    expect(h.transport.requestCounts.get('POST token')).toBeUndefined()
    expectNoSecrets(h)
  })

  it('an explicit kind password behaves the same', async () => {
    const h = harness({ credentials: async () => ({ ...USER, kind: 'password' as const }) })
    serve(h.agent, REG, h.seen, registry(FROM_GET))
    serve(
      h.agent,
      AUTH,
      h.seen,
      tokenServer(() => ({ status: 200, body: { access_token: ACCESS } }))
    )
    await expect(h.transport.send(get())).resolves.toMatchObject({ status: 200 })
    expect(tokenRequests(h.seen).map((t) => t.method)).toEqual(['GET'])
  })
})
