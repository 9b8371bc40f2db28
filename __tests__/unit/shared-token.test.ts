/**
 * One token for the scopes of several repositories (src/registry/transport/auth.ts shareScopes,
 * src/registry/transport/token-access.ts): asked for once, used where it grants what a request needs,
 * and given up for a token per scope set where it does not (its `access` claim, a refused
 * token request, a refused request). A fake token fetcher; tokens are unsigned JWTs whose
 * `access` claim is what a token server would grant.
 */
import { describe, it, expect } from '@jest/globals'
import { Authenticator } from '../../src/registry/transport/auth.js'
import type { TokenRequest } from '../../src/registry/transport/token-client.js'
import type { Credentials } from '../../src/registry/credentials/credentials.js'
import { RegistryError } from '../../src/registry/base/errors.js'
import { grantsScope, parseScope, tokenAccess } from '../../src/registry/transport/token-access.js'
import type { RegistryRequest } from '../../src/registry/transport/request.js'
import { harness, serve, USER, type SeenRequest } from './support/fakes.js'

const REGISTRY = 'registry.example.com'
const BEARER =
  'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:o/a:pull"'
const creds: Credentials = { username: 'u', password: 'p', source: 'the username/password inputs' }
const A = 'repository:o/a:pull,push'
const B = 'repository:o/b:pull,push'
const C = 'repository:o/c:pull'

/** An (unsigned) JWT granting `scopes`, as a token server would write it. */
function jwt(scopes: string[], serial: number): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const access = scopes.map((s) => parseScope(s)!)
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ access, jti: serial })}.c2ln`
}

/**
 * An Authenticator whose token server grants what `grant` says (default: everything asked),
 * as a JWT, or an opaque token when `opaque`.
 */
function setup(
  options: {
    grant?: (scopes: string[]) => string[]
    opaque?: boolean
    refuse?: (request: TokenRequest) => boolean
    /** The status of a refusal (default 401). */
    refuseWith?: number
  } = {}
) {
  const requests: TokenRequest[] = []
  const auth = new Authenticator(
    async () => creds,
    async (request) => {
      requests.push(request)
      if (options.refuse?.(request))
        throw new RegistryError(
          { operation: 'GET token', target: 'auth.example.com' },
          options.refuseWith ?? 401,
          []
        )
      const granted = (options.grant ?? ((s) => s))(request.scopes)
      const token = options.opaque ? `opaque-${requests.length}` : jwt(granted, requests.length)
      return { token, expiresInSeconds: 300 }
    },
    () => 1_000_000
  )
  return { auth, requests }
}

async function challenged(auth: Authenticator): Promise<void> {
  await auth.unauthorized(REGISTRY, BEARER, undefined)
}

describe('tokenAccess', () => {
  it("reads a JWT's access claim", () => {
    expect(tokenAccess(jwt([A, 'repository:127.0.0.1:5000/x:pull'], 1))).toEqual([
      { type: 'repository', name: 'o/a', actions: ['pull', 'push'] },
      { type: 'repository', name: '127.0.0.1:5000/x', actions: ['pull'] }
    ])
  })

  it('says nothing about a token that is not such a JWT', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    expect(tokenAccess('djE6b3BhcXVl')).toBeUndefined()
    expect(tokenAccess(`${b64({})}.not-base64-json.sig`)).toBeUndefined()
    expect(tokenAccess(`${b64({})}.${b64({ sub: 'u' })}.sig`)).toBeUndefined()
    const claims = (access: unknown) => `${b64({})}.${b64({ access })}.sig`
    expect(tokenAccess(claims([{ type: 'repository' }]))).toBeUndefined()
    expect(tokenAccess(claims([{ type: 1, name: 'o', actions: [] }]))).toBeUndefined()
    expect(tokenAccess(claims([{ type: 'repository', name: 'o', actions: [1] }]))).toBeUndefined()
    expect(tokenAccess(claims('all'))).toBeUndefined()
    expect(tokenAccess(`a.${'x'.repeat(70 * 1024)}.b`)).toBeUndefined()
  })
})

describe('grantsScope', () => {
  const access = tokenAccess(jwt([A, 'repository:o/c:pull', 'repository:o/w:*'], 1))!
  it('needs every action asked for, on the same repository', () => {
    expect(grantsScope(access, A)).toBe(true)
    expect(grantsScope(access, 'repository:o/a:pull')).toBe(true)
    expect(grantsScope(access, 'repository:o/c:pull,push')).toBe(false)
    expect(grantsScope(access, B)).toBe(false)
    expect(grantsScope(access, 'repository:o/w:pull,push')).toBe(true)
    expect(grantsScope(access, 'not a scope')).toBe(false)
  })
})

describe('shared tokens', () => {
  it('asks once for every scope of the step, however many repositories ask at once', async () => {
    const { auth, requests } = setup()
    auth.shareScopes(REGISTRY, [A, B, C, A])
    await challenged(auth)
    const headers = await Promise.all([
      auth.authorization(REGISTRY, A),
      auth.authorization(REGISTRY, B),
      auth.authorization(REGISTRY, C),
      auth.authorization(REGISTRY, [A, C]) // a mount's scope set
    ])
    expect(requests).toHaveLength(1)
    expect(requests[0].scopes).toEqual([A, B, C])
    expect(new Set(headers)).toEqual(new Set([headers[0]]))
  })

  it('keeps one token per scope set when the step has one repository', async () => {
    const { auth, requests } = setup()
    auth.shareScopes(REGISTRY, [A])
    await challenged(auth)
    await auth.authorization(REGISTRY, A)
    expect(requests.map((r) => r.scopes)).toEqual([[A]])
  })

  it('gives a repository the shared token does not grant a token of its own', async () => {
    // A token server that grants only the first scope (docs/registry-quirks.md #22).
    const { auth, requests } = setup({ grant: (scopes) => scopes.slice(0, 1) })
    auth.shareScopes(REGISTRY, [A, B, C])
    await challenged(auth)
    const [a, b, c] = await Promise.all([
      auth.authorization(REGISTRY, A),
      auth.authorization(REGISTRY, B),
      auth.authorization(REGISTRY, C)
    ])
    expect(requests.map((r) => r.scopes)).toEqual([[A, B, C], [B], [C]])
    expect(tokenAccess(a!.slice('Bearer '.length))).toHaveLength(1) // the shared one
    expect(grantsScope(tokenAccess(b!.slice('Bearer '.length))!, B)).toBe(true)
    expect(grantsScope(tokenAccess(c!.slice('Bearer '.length))!, C)).toBe(true)
    // Cached: asking again fetches nothing.
    await auth.authorization(REGISTRY, B)
    expect(requests).toHaveLength(3)
  })

  it('trusts a token that does not say what it grants until the registry refuses it', async () => {
    const { auth, requests } = setup({ opaque: true })
    auth.shareScopes(REGISTRY, [A, B])
    await challenged(auth)
    const shared = await auth.authorization(REGISTRY, B)
    expect(shared).toBe('Bearer opaque-1')
    expect(auth.refuseSharedToken(REGISTRY, 'Bearer something-else')).toBe(false)
    expect(auth.refuseSharedToken(REGISTRY, shared)).toBe(true)
    expect(auth.refuseSharedToken(REGISTRY, shared)).toBe(false) // once
    expect(await auth.authorization(REGISTRY, B)).toBe('Bearer opaque-2')
    expect(await auth.authorization(REGISTRY, A)).toBe('Bearer opaque-3')
    expect(requests.map((r) => r.scopes)).toEqual([[A, B], [B], [A]])
  })

  it('asks per scope set when the token server refuses the shared request', async () => {
    const { auth, requests } = setup({ refuse: (request) => request.scopes.length > 1 })
    auth.shareScopes(REGISTRY, [A, B])
    await challenged(auth)
    const [a, b] = await Promise.all([
      auth.authorization(REGISTRY, A),
      auth.authorization(REGISTRY, B)
    ])
    expect(requests.map((r) => r.scopes)).toEqual([[A, B], [A], [B]])
    expect(grantsScope(tokenAccess(a!.slice(7))!, A)).toBe(true)
    expect(grantsScope(tokenAccess(b!.slice(7))!, B)).toBe(true)
  })

  it("answers with the per-repository request's refusal when every request is refused", async () => {
    const { auth, requests } = setup({ refuse: () => true, refuseWith: 403 })
    auth.shareScopes(REGISTRY, [A, B])
    await challenged(auth)
    await expect(auth.authorization(REGISTRY, A)).rejects.toMatchObject({ status: 403 })
    expect(requests.map((r) => r.scopes)).toEqual([[A, B], [A]])
  })

  it('does not fall back on a token-server failure that is not a refusal', async () => {
    const { auth, requests } = setup({ refuse: () => true, refuseWith: 500 })
    auth.shareScopes(REGISTRY, [A, B])
    await challenged(auth)
    await expect(auth.authorization(REGISTRY, A)).rejects.toMatchObject({ status: 500 })
    expect(requests.map((r) => r.scopes)).toEqual([[A, B]])
  })

  it('does not share a scope the step did not declare', async () => {
    const { auth, requests } = setup()
    auth.shareScopes(REGISTRY, [A, B])
    await challenged(auth)
    await auth.authorization(REGISTRY, [A, 'repository:o/elsewhere:pull'])
    expect(requests.map((r) => r.scopes)).toEqual([[A, 'repository:o/elsewhere:pull']])
  })
})

describe('a request refused with the shared token', () => {
  const REG = 'http://127.0.0.1:5000'
  const AUTH = 'http://127.0.0.1:5001'
  const CHALLENGE = `Bearer realm="${AUTH}/token",service="reg"`
  const PUSH_A = 'repository:o/a:pull,push'
  const PUSH_B = 'repository:o/b:pull,push'
  const request = (status: number[] = [200, 404]): RegistryRequest => ({
    registry: '127.0.0.1:5000',
    method: 'GET',
    path: '/v2/o/b/manifests/v1',
    scope: PUSH_B,
    context: { operation: 'GET manifest', target: '127.0.0.1:5000/o/b:v1' },
    accept: status
  })

  /**
   * A token server whose tokens say nothing (opaque), and a registry that takes `shared-1`
   * for o/a only and a token of o/b's own for o/b, refusing `shared-1` there with `refusal`.
   */
  function setupRefusal(refusal: 401 | 403) {
    const h = harness({ credentials: async () => USER })
    h.transport.auth.shareScopes('127.0.0.1:5000', [PUSH_A, PUSH_B])
    const tokenRequests: SeenRequest[] = []
    serve(h.agent, AUTH, tokenRequests, (req) => ({
      status: 200,
      body: { token: req.query.getAll('scope').length > 1 ? 'shared-1' : 'own-b' }
    }))
    serve(h.agent, REG, h.seen, (req) => {
      const auth = req.headers.authorization
      if (auth === undefined) return { status: 401, headers: { 'www-authenticate': CHALLENGE } }
      if (auth === 'Bearer own-b') return { status: 200, body: 'manifest' }
      return refusal === 401
        ? {
            status: 401,
            headers: { 'www-authenticate': `${CHALLENGE},error="insufficient_scope"` },
            body: { errors: [{ code: 'DENIED', message: 'requested access is denied' }] }
          }
        : { status: 403, body: { errors: [{ code: 'DENIED', message: 'denied' }] } }
    })
    return { h, tokenRequests }
  }

  for (const refusal of [401, 403] as const) {
    it(`is tried once more with a token of its own (${refusal}), and later requests go straight to it`, async () => {
      const { h, tokenRequests } = setupRefusal(refusal)
      const response = await h.transport.send(request())
      expect(response.status).toBe(200)
      expect(h.seen.map((r) => r.headers.authorization)).toEqual([
        undefined, // learns the challenge
        'Bearer shared-1', // the shared token: refused for o/b
        'Bearer own-b'
      ])
      expect(tokenRequests.map((r) => r.query.getAll('scope'))).toEqual([
        [PUSH_A, PUSH_B],
        [PUSH_B]
      ])
      await h.transport.send(request())
      expect(h.seen.at(-1)?.headers.authorization).toBe('Bearer own-b')
      expect(tokenRequests).toHaveLength(2)
    })
  }

  it('is not tried again when its own token is refused too', async () => {
    const h = harness({ credentials: async () => USER })
    h.transport.auth.shareScopes('127.0.0.1:5000', [PUSH_A, PUSH_B])
    const tokenRequests: SeenRequest[] = []
    let issued = 0
    serve(h.agent, AUTH, tokenRequests, () => ({ status: 200, body: { token: `t${++issued}` } }))
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === undefined
        ? { status: 401, headers: { 'www-authenticate': CHALLENGE } }
        : { status: 403, body: { errors: [{ code: 'DENIED', message: 'denied' }] } }
    )
    await expect(h.transport.send(request())).rejects.toMatchObject({ status: 403 })
    expect(h.seen.map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer t1',
      'Bearer t2'
    ])
    expect(tokenRequests).toHaveLength(2)
  })
})
