/**
 * src/registry/transport/auth.ts without HTTP: the Authenticator's scheme learning, token cache per
 * (realm, service, scope set), expiry and refusal (distribution auth/token.md,
 * docs/registry-protocol.md B.8), with a fake token fetcher and a fake clock.
 */
import { describe, it, expect } from '@jest/globals'
import { Authenticator } from '../../src/registry/transport/auth.js'
import { parseTokenResponse, type TokenRequest } from '../../src/registry/transport/token-client.js'
import type { Credentials } from '../../src/registry/credentials/credentials.js'

const REGISTRY = 'registry.example.com'
const BEARER =
  'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:o/r:pull"'
const creds: Credentials = {
  username: 'u',
  password: 'p@ss',
  source: 'the username/password inputs'
}

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function setup(options: { credentials?: Credentials; expiresInSeconds?: number } = {}) {
  let now = 1_000_000
  const requests: TokenRequest[] = []
  const lookups: string[] = []
  const auth = new Authenticator(
    async (registry) => {
      lookups.push(registry)
      return options.credentials
    },
    async (request) => {
      requests.push(request)
      return { token: `tok-${requests.length}`, expiresInSeconds: options.expiresInSeconds ?? 300 }
    },
    () => now
  )
  return { auth, requests, lookups, advance: (ms: number) => (now += ms) }
}

describe('parseTokenResponse', () => {
  it('reads token, or access_token as its alias', () => {
    expect(parseTokenResponse({ token: 'a', expires_in: 300 })).toEqual({
      token: 'a',
      expiresInSeconds: 300
    })
    expect(parseTokenResponse({ access_token: 'b', expires_in: 120 })).toEqual({
      token: 'b',
      expiresInSeconds: 120
    })
    expect(parseTokenResponse({ token: 'a', access_token: 'b' })!.token).toBe('a')
    expect(parseTokenResponse({ token: '', access_token: 'b' })!.token).toBe('b')
  })

  it('defaults expires_in to 60 s and never goes below 60', () => {
    expect(parseTokenResponse({ token: 'a' })!.expiresInSeconds).toBe(60)
    expect(parseTokenResponse({ token: 'a', expires_in: 10 })!.expiresInSeconds).toBe(60)
    expect(parseTokenResponse({ token: 'a', expires_in: -5 })!.expiresInSeconds).toBe(60)
    expect(parseTokenResponse({ token: 'a', expires_in: '300' })!.expiresInSeconds).toBe(60)
  })

  it('is undefined without a usable token', () => {
    expect(parseTokenResponse(undefined)).toBeUndefined()
    expect(parseTokenResponse(null)).toBeUndefined()
    expect(parseTokenResponse('tok')).toBeUndefined()
    expect(parseTokenResponse({})).toBeUndefined()
    expect(parseTokenResponse({ token: 42 })).toBeUndefined()
    expect(parseTokenResponse({ token: '', access_token: '' })).toBeUndefined()
  })
})

describe('Authenticator', () => {
  it('is anonymous until a challenge arrives', async () => {
    const { auth, requests } = setup({ credentials: creds })
    expect(auth.knowsScheme(REGISTRY)).toBe(false)
    await expect(auth.authorization(REGISTRY, 'repository:o/r:pull')).resolves.toBeUndefined()
    expect(requests).toEqual([])
  })

  it('learns Bearer and fetches a token for the requested scope with the credentials', async () => {
    const { auth, requests } = setup({ credentials: creds })
    const challenge = await auth.unauthorized(REGISTRY, BEARER, undefined)
    expect(challenge).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example.com/token',
        service: 'registry.example.com',
        scope: 'repository:o/r:pull'
      }
    })
    expect(auth.knowsScheme(REGISTRY)).toBe(true)
    await expect(auth.authorization(REGISTRY, 'repository:o/r:pull,push')).resolves.toBe(
      'Bearer tok-1'
    )
    expect(requests).toEqual([
      {
        realm: 'https://auth.example.com/token',
        service: 'registry.example.com',
        scopes: ['repository:o/r:pull,push'],
        credentials: creds
      }
    ])
  })

  it("falls back to the challenge's scopes when the request names none", async () => {
    const { auth, requests } = setup()
    await auth.unauthorized(
      REGISTRY,
      'Bearer realm="https://a/t",scope="repository:x:pull repository:y:pull"',
      undefined
    )
    await auth.authorization(REGISTRY, undefined)
    expect(requests[0].scopes).toEqual(['repository:x:pull', 'repository:y:pull'])
    expect(requests[0].service).toBeUndefined()
    expect(requests[0].credentials).toBeUndefined()
  })

  it('prefers Bearer over Basic when both are offered', async () => {
    const { auth } = setup({ credentials: creds })
    const challenge = await auth.unauthorized(REGISTRY, ['Basic realm="r"', BEARER], undefined)
    expect(challenge!.scheme).toBe('bearer')
  })

  it('caches one token per scope set and shares it', async () => {
    const { auth, requests } = setup()
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-1')
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-1')
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull,push')).toBe('Bearer tok-2')
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-1')
    expect(requests).toHaveLength(2)
  })

  it('keeps registries apart', async () => {
    const { auth, requests } = setup()
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    await expect(
      auth.authorization('other.example.com', 'repository:o/r:pull')
    ).resolves.toBeUndefined()
    expect(requests).toHaveLength(0)
  })

  it('makes concurrent callers wait for one fetch', async () => {
    const pending = deferred<{ token: string; expiresInSeconds: number }>()
    let fetches = 0
    const auth = new Authenticator(
      async () => undefined,
      () => {
        fetches++
        return pending.promise
      },
      () => 0
    )
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    const all = Promise.all(
      [1, 2, 3, 4].map(() => auth.authorization(REGISTRY, 'repository:o/r:pull'))
    )
    pending.resolve({ token: 'shared', expiresInSeconds: 60 })
    expect(await all).toEqual(['Bearer shared', 'Bearer shared', 'Bearer shared', 'Bearer shared'])
    expect(fetches).toBe(1)
  })

  it('does not cache a failed fetch', async () => {
    let calls = 0
    const auth = new Authenticator(
      async () => undefined,
      async () => {
        calls++
        if (calls === 1) throw new Error('token server down')
        return { token: 'second', expiresInSeconds: 60 }
      },
      () => 0
    )
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    await expect(auth.authorization(REGISTRY, 'repository:o/r:pull')).rejects.toThrow(
      'token server down'
    )
    await expect(auth.authorization(REGISTRY, 'repository:o/r:pull')).resolves.toBe('Bearer second')
    expect(calls).toBe(2)
  })

  it('renews a token 5 s before it expires', async () => {
    const { auth, requests, advance } = setup({ expiresInSeconds: 60 })
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    await auth.authorization(REGISTRY, 'repository:o/r:pull')
    advance(54_999)
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-1')
    advance(2)
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-2')
    expect(requests).toHaveLength(2)
  })

  it('drops only the refused token on a 401', async () => {
    const { auth, requests } = setup()
    await auth.unauthorized(REGISTRY, BEARER, undefined)
    await auth.authorization(REGISTRY, 'repository:o/r:pull') // tok-1
    await auth.authorization(REGISTRY, 'repository:o/r:pull,push') // tok-2
    await auth.unauthorized(REGISTRY, `${BEARER},error="invalid_token"`, 'Bearer tok-1')
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull')).toBe('Bearer tok-3')
    expect(await auth.authorization(REGISTRY, 'repository:o/r:pull,push')).toBe('Bearer tok-2')
    expect(requests).toHaveLength(3)
  })

  it('keeps the learned scheme when a later 401 has no usable challenge, and answers with it', async () => {
    // docs/registry-quirks.md #16: GCR's 401s after the ping carry no challenge; the known one
    // still applies, so the caller may re-authenticate once.
    const { auth } = setup()
    const learned = await auth.unauthorized(REGISTRY, BEARER, undefined)
    await expect(auth.unauthorized(REGISTRY, undefined, undefined)).resolves.toEqual(learned)
    expect(auth.knowsScheme(REGISTRY)).toBe(true)
  })

  it('answers Basic with the credentials, and nothing without them', async () => {
    const withCreds = setup({ credentials: creds })
    await withCreds.auth.unauthorized(REGISTRY, 'Basic realm="Registry Realm"', undefined)
    await expect(withCreds.auth.authorization(REGISTRY, 'repository:o/r:pull')).resolves.toBe(
      `Basic ${Buffer.from('u:p@ss').toString('base64')}`
    )
    expect(withCreds.requests).toEqual([])

    const anonymous = setup()
    await anonymous.auth.unauthorized(REGISTRY, 'Basic realm="Registry Realm"', undefined)
    await expect(
      anonymous.auth.authorization(REGISTRY, 'repository:o/r:pull')
    ).resolves.toBeUndefined()
  })

  it('looks credentials up once per registry and names their source', async () => {
    const { auth, lookups } = setup({ credentials: creds })
    await expect(auth.credentialSource(REGISTRY)).resolves.toBe('the username/password inputs')
    await auth.credentials(REGISTRY)
    await auth.credentials(REGISTRY)
    expect(lookups).toEqual([REGISTRY])
    await expect(setup().auth.credentialSource(REGISTRY)).resolves.toBe(
      'no credentials (anonymous)'
    )
  })

  it('ignores a Bearer challenge without a realm', async () => {
    const { auth, requests } = setup()
    await auth.unauthorized(REGISTRY, 'Bearer service="x"', undefined)
    await expect(auth.authorization(REGISTRY, 'repository:o/r:pull')).resolves.toBeUndefined()
    expect(requests).toEqual([])
  })
})
