/**
 * The fault-injecting proxy, tested against a real registry with plain clients (fetch and
 * node:http): what each fault looks like on the wire, that after-phase faults let the registry
 * do the work, lag, immutable tags, the token path, seeded random faults, scripts, blob
 * redirects, and a bounded stop().
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import {
  ALL_FAULTS,
  startBlobRedirectTarget,
  startFaultProxy,
  type Fault,
  type FaultProxy
} from './helpers/fault-proxy.js'
import { createPrng, mulberry32 } from './helpers/prng.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import {
  accessFor,
  getManifest,
  MANIFEST_ACCEPT,
  MT,
  pushImage,
  putManifest,
  sha256Digest,
  type PushedImage,
  type RegistryAccess
} from './helpers/seed.js'

const REPO = 'fp/app'
const STALL_MS = 300

/** Plain fetch with a bound. */
function get(url: string, init: RequestInit = {}, ms = 5000): Promise<Response> {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(ms), ...init })
}

/** What a client saw: a response (status, headers, body or body error) or a request error. */
interface Seen {
  status?: number
  headers?: Headers
  body?: string
  bodyError?: string
  error?: string
  ms: number
}

async function see(url: string, init: RequestInit = {}, ms = 5000): Promise<Seen> {
  const start = Date.now()
  let res: Response
  try {
    res = await get(url, init, ms)
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } }
    return {
      error: `${e.name}: ${e.cause?.code ?? e.cause?.message ?? e.message}`,
      ms: Date.now() - start
    }
  }
  try {
    const body = await res.text()
    return { status: res.status, headers: res.headers, body, ms: Date.now() - start }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } }
    return {
      status: res.status,
      headers: res.headers,
      bodyError: `${e.name}: ${e.cause?.code ?? e.message}`,
      ms: Date.now() - start
    }
  }
}

/** A node:http request that reports whether response headers ever arrived. */
function rawRequest(
  url: string,
  method: string,
  ms: number
): Promise<{ status?: number; headers?: IncomingHttpHeaders; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method, agent: false, timeout: ms }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }))
      res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }))
    })
    req.on('timeout', () => req.destroy(new Error('client timeout')))
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }))
    req.end()
  })
}

describe('fault proxy against a real registry (auth none)', () => {
  let registry: RunningRegistry
  let access: RegistryAccess
  let counter: CountingProxy
  let proxy: FaultProxy
  let image: PushedImage

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' })
    access = accessFor(registry)
    image = await pushImage(access, REPO, 'base', { os: 'linux', architecture: 'amd64' })
    // fault proxy → counting proxy → registry: the counter shows what really reached the registry.
    counter = await startCountingProxy(registry.url)
    proxy = await startFaultProxy(counter.url)
  })

  afterAll(async () => {
    await proxy?.stop()
    await counter?.stop()
    await registry?.stop()
  })

  const fresh = (options: Parameters<FaultProxy['configure']>[0] = {}): void => {
    proxy.configure(options)
    proxy.reset()
    counter.reset()
  }
  const manifestUrl = (ref: string): string => `${proxy.url}/v2/${REPO}/manifests/${ref}`
  const accept = { accept: MANIFEST_ACCEPT }

  it.each(
    ALL_FAULTS.map((f) => ({
      name: `${f.kind}/${f.phase}`,
      fault: { ...f, ...(f.kind === 'stall' ? { stallMs: STALL_MS } : {}) } as Fault
    }))
  )('$name on a manifest GET is seen by a plain client', async ({ fault }) => {
    fresh({ script: [{ match: { kinds: ['manifest'] }, fault }] })
    const seen = await see(manifestUrl('base'), { headers: accept })
    // Reached the registry only in the after phase.
    expect(counter.counts()).toEqual(fault.phase === 'after' ? { 'GET manifest': 1 } : {})
    expect(proxy.injectedCounts()).toEqual({ [`${fault.kind}/${fault.phase}`]: 1 })
    expect(proxy.requests[0]).toMatchObject({
      synthetic: true,
      fault: `${fault.kind}/${fault.phase}`
    })
    const json = (): { errors: Array<{ code: string }> } => JSON.parse(seen.body ?? '')
    switch (fault.kind) {
      case 'status-500':
        expect(seen.status).toBe(500)
        expect(json().errors[0]?.code).toBe('UNKNOWN')
        expect(seen.headers?.get('retry-after')).toBeNull()
        break
      case 'status-502':
        expect(seen.status).toBe(502)
        expect(seen.headers?.get('content-type')).toBe('text/html')
        expect(seen.body).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>')
        break
      case 'status-503':
        expect(seen.status).toBe(503)
        expect(seen.headers?.get('retry-after')).toBe('1')
        expect(json().errors[0]?.code).toBe('UNAVAILABLE')
        break
      case 'status-429':
        expect(seen.status).toBe(429)
        expect(seen.headers?.get('retry-after')).toBe('1')
        expect(json().errors[0]?.code).toBe('TOOMANYREQUESTS')
        break
      case 'reset':
        expect(seen.status).toBeUndefined()
        expect(seen.error).toMatch(/TypeError: (ECONNRESET|UND_ERR_SOCKET|other side closed)/)
        break
      case 'stall':
        // Headers arrive; the body never completes; the socket is destroyed after stallMs.
        expect(seen.status).toBe(200)
        expect(seen.headers?.get('content-length')).not.toBeNull()
        expect(seen.bodyError).toMatch(/TypeError: (terminated|UND_ERR_SOCKET)/)
        expect(seen.ms).toBeGreaterThanOrEqual(STALL_MS - 20)
        if (fault.phase === 'after') {
          // After the registry answered: its headers, then nothing.
          expect(seen.headers?.get('docker-content-digest')).toBe(image.digest)
        }
        break
    }
  })

  it('a stall outlives a client timeout shorter than stallMs (abort, not a response)', async () => {
    fresh({
      script: [
        { match: { kinds: ['manifest'] }, fault: { kind: 'stall', phase: 'before', stallMs: 5000 } }
      ]
    })
    const start = Date.now()
    const seen = await see(manifestUrl('base'), { headers: accept }, 200)
    expect(seen.status).toBe(200)
    expect(seen.bodyError).toMatch(/TimeoutError/)
    expect(Date.now() - start).toBeLessThan(2000)
  })

  it('HEAD gets no body for status faults, and a HEAD stall sends no headers at all', async () => {
    fresh({
      script: [
        {
          match: { methods: ['HEAD'] },
          fault: { kind: 'status-429', phase: 'before', retryAfterSeconds: 7 }
        },
        { match: { methods: ['HEAD'] }, fault: { kind: 'status-502', phase: 'after' } },
        {
          match: { methods: ['HEAD'] },
          fault: { kind: 'stall', phase: 'before', stallMs: STALL_MS }
        }
      ]
    })
    const a = await rawRequest(manifestUrl('base'), 'HEAD', 2000)
    expect(a.status).toBe(429)
    expect(a.headers?.['retry-after']).toBe('7')
    expect(Number(a.headers?.['content-length'])).toBeGreaterThan(0)
    const b = await rawRequest(manifestUrl('base'), 'HEAD', 2000)
    expect(b.status).toBe(502)
    const c = await rawRequest(manifestUrl('base'), 'HEAD', 2000)
    expect(c.status).toBeUndefined()
    expect(c.error).toMatch(/ECONNRESET|socket hang up/)
    expect(counter.counts()).toEqual({ 'HEAD manifest': 1 })
  })

  it('Retry-After: none, seconds or an HTTP-date', async () => {
    fresh({
      script: [
        { match: {}, fault: { kind: 'status-503', phase: 'before', retryAfterSeconds: null } },
        {
          match: {},
          fault: { kind: 'status-429', phase: 'before', retryAfterSeconds: 3, retryAfterDate: true }
        }
      ]
    })
    const none = await see(`${proxy.url}/v2/`)
    expect(none.status).toBe(503)
    expect(none.headers?.get('retry-after')).toBeNull()
    const dated = await see(`${proxy.url}/v2/`)
    expect(dated.status).toBe(429)
    const at = Date.parse(dated.headers?.get('retry-after') ?? '')
    expect(dated.headers?.get('retry-after')).toMatch(/GMT$/)
    expect(at - Date.now()).toBeGreaterThan(2000)
    expect(at - Date.now()).toBeLessThanOrEqual(4000)
    const ok = await see(`${proxy.url}/v2/`)
    expect(ok.status).toBe(200)
  })

  it.each([{ kind: 'status-500' as const }, { kind: 'reset' as const }])(
    'after-phase $kind on a manifest PUT: the client sees a failure, the manifest is stored',
    async ({ kind }) => {
      fresh({
        script: [
          { match: { kinds: ['manifest'], methods: ['PUT'] }, fault: { kind, phase: 'after' } }
        ]
      })
      const proxied: RegistryAccess = { url: proxy.url }
      const tag = `lost-201-${kind}`
      const put = putManifest(proxied, REPO, tag, image.mediaType, image.bytes)
      if (kind === 'status-500') expect((await put).status).toBe(500)
      else await expect(put).rejects.toThrow()
      expect(counter.requests.map((r) => [r.method, r.kind, r.status])).toEqual([
        ['PUT', 'manifest', 201]
      ])
      const direct = await getManifest(access, REPO, tag)
      expect(direct.status).toBe(200)
      expect(direct.digest).toBe(image.digest)
    }
  )

  it('scripts fire exactly `times` times, first matching entry first, and beat random faults', async () => {
    fresh({
      script: [
        {
          match: { kinds: ['manifest'], methods: ['GET'], pathIncludes: '/base' },
          fault: { kind: 'status-503', phase: 'before' },
          times: 2
        },
        { match: { kinds: ['manifest'] }, fault: { kind: 'status-500', phase: 'after' }, times: 3 }
      ],
      // Every ping gets a random 502 (rate 1), unless... pings are not in the script.
      random: {
        seed: 1,
        rate: 1,
        faults: [{ kind: 'status-502', phase: 'before' }],
        only: { kinds: ['ping'] }
      }
    })
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const s = await see(manifestUrl('base'), { headers: accept })
      statuses.push(s.status ?? 0)
    }
    expect(statuses).toEqual([503, 503, 500, 500, 500, 200, 200])
    expect((await see(`${proxy.url}/v2/`)).status).toBe(502)
    expect(proxy.injectedCounts()).toEqual({
      'status-503/before': 2,
      'status-500/after': 3,
      'status-502/before': 1
    })
    expect(proxy.injected.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 7])
    // Counting covers synthetic answers too.
    expect(proxy.counts()).toEqual({ 'GET manifest': 7, 'GET ping': 1 })
    expect(counter.counts()).toEqual({ 'GET manifest': 5 })
    proxy.reset()
    expect(proxy.injected).toEqual([])
    expect(proxy.counts()).toEqual({})
  })

  it('seeded random faults: same seed and request order → same faults; rate roughly as set', async () => {
    const faults: Fault[] = [
      { kind: 'status-500', phase: 'before' },
      { kind: 'status-503', phase: 'after', retryAfterSeconds: null },
      { kind: 'status-429', phase: 'before' },
      { kind: 'reset', phase: 'before' }
    ]
    const run = async (seed: number): Promise<string[]> => {
      fresh({ random: { seed, rate: 0.3, faults } })
      for (let i = 0; i < 200; i++) await see(`${proxy.url}/v2/`, {}, 2000)
      expect(proxy.requests).toHaveLength(200)
      return proxy.injected.map((f) => `${f.index}:${f.fault.kind}/${f.fault.phase}`)
    }
    const a = await run(42)
    const b = await run(42)
    const c = await run(43)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
    expect(a.length).toBeGreaterThan(200 * 0.2)
    expect(a.length).toBeLessThan(200 * 0.4)
    // Every configured fault shows up, and only those.
    const kinds = new Set(a.map((s) => s.split(':')[1]))
    expect([...kinds].sort()).toEqual([
      'reset/before',
      'status-429/before',
      'status-500/before',
      'status-503/after'
    ])
    // `only` limits which requests may be hit.
    fresh({ random: { seed: 42, rate: 1, faults, only: { kinds: ['manifest'] } } })
    expect((await see(`${proxy.url}/v2/`)).status).toBe(200)
    expect(proxy.injected).toEqual([])
  })

  it('adds latency to every request', async () => {
    fresh({ latencyMs: 150 })
    const start = Date.now()
    expect((await see(`${proxy.url}/v2/`)).status).toBe(200)
    expect(Date.now() - start).toBeGreaterThanOrEqual(140)
  })

  it('lag: a new tag reads 404 MANIFEST_UNKNOWN through the proxy, then the new digest after the window', async () => {
    fresh({ lag: { ms: 600 } })
    const proxied: RegistryAccess = { url: proxy.url }
    const put = await putManifest(proxied, REPO, 'lag-new', image.mediaType, image.bytes)
    expect(put.status).toBe(201)
    expect(proxy.laggingTags()).toEqual([`${REPO}:lag-new`])
    const during = await getManifest(proxied, REPO, 'lag-new')
    expect(during.status).toBe(404)
    expect(JSON.parse(during.body.toString()).errors[0].code).toBe('MANIFEST_UNKNOWN')
    expect((await rawRequest(manifestUrl('lag-new'), 'HEAD', 2000)).status).toBe(404)
    // The registry itself already has it; by digest it is not lagged either.
    expect((await getManifest(access, REPO, 'lag-new')).digest).toBe(image.digest)
    expect((await getManifest(proxied, REPO, image.digest)).status).toBe(200)
    await new Promise((r) => setTimeout(r, 650))
    const after = await getManifest(proxied, REPO, 'lag-new')
    expect(after.status).toBe(200)
    expect(after.digest).toBe(image.digest)
  })

  it('lag: an overwritten tag serves its OLD bytes, digest and Content-Type during the window', async () => {
    const old = await pushImage(access, REPO, 'lag-over', {
      os: 'linux',
      architecture: 'arm64',
      format: 'oci'
    })
    fresh({ lag: { ms: 600 } })
    const proxied: RegistryAccess = { url: proxy.url }
    expect(
      (await putManifest(proxied, REPO, 'lag-over', image.mediaType, image.bytes)).status
    ).toBe(201)
    const during = await getManifest(proxied, REPO, 'lag-over')
    expect(during.status).toBe(200)
    expect(during.digest).toBe(old.digest)
    expect(during.mediaType).toBe(MT.ociManifest)
    expect(sha256Digest(during.body)).toBe(old.digest)
    const head = await rawRequest(manifestUrl('lag-over'), 'HEAD', 2000)
    expect(head.headers?.['docker-content-digest']).toBe(old.digest)
    expect(Number(head.headers?.['content-length'])).toBe(old.bytes.length)
    await new Promise((r) => setTimeout(r, 650))
    const after = await getManifest(proxied, REPO, 'lag-over')
    expect(after.digest).toBe(image.digest)
    expect(after.mediaType).toBe(MT.dockerManifest)
  })

  it('immutable tags: first PUT lands; a second (even identical) is TAG_INVALID; PUT by digest is allowed', async () => {
    fresh({ immutableTags: true })
    const proxied: RegistryAccess = { url: proxy.url }
    const other = await pushImage(access, REPO, null, { os: 'linux', architecture: 's390x' })
    expect((await putManifest(proxied, REPO, 'imm', image.mediaType, image.bytes)).status).toBe(201)
    for (const bytes of [image.bytes, other.bytes]) {
      const again = await putManifest(proxied, REPO, 'imm', image.mediaType, bytes)
      expect(again.status).toBe(400)
      expect(JSON.parse(again.body)).toEqual({
        errors: [
          {
            code: 'TAG_INVALID',
            message: `The image tag 'imm' already exists in the '${REPO}' repository and cannot be overwritten because the tag is immutable.`
          }
        ]
      })
    }
    expect(
      (await putManifest(proxied, REPO, other.digest, other.mediaType, other.bytes)).status
    ).toBe(201)
    expect((await getManifest(access, REPO, 'imm')).digest).toBe(image.digest)
    // Only the first tag PUT and the digest PUT reached the registry (plus the proxy's own
    // existence checks, one HEAD per PUT by tag).
    expect(counter.counts()).toEqual({ 'HEAD manifest': 3, 'PUT manifest': 2 })
  })

  it('stop() returns promptly with a stalled request open, and the client sees the socket end', async () => {
    const p = await startFaultProxy(registry.url, {
      script: [{ match: {}, fault: { kind: 'stall', phase: 'before', stallMs: 60_000 } }]
    })
    const res = await get(`${p.url}/v2/`, {}, 10_000)
    expect(res.status).toBe(200)
    const body = res.text().then(
      () => 'completed',
      (e: Error) => e.name
    )
    const start = Date.now()
    await p.stop()
    expect(Date.now() - start).toBeLessThan(1000)
    expect(await body).toBe('TypeError')
    // Nothing listens any more.
    await expect(get(`${p.url}/v2/`, {}, 1000)).rejects.toThrow()
  })
})

describe('fault proxy with token auth: token path, realm rewrite, blob redirects', () => {
  let registry: RunningRegistry
  let access: RegistryAccess
  let proxy: FaultProxy
  let image: PushedImage

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' })
    access = accessFor(registry)
    image = await pushImage(access, REPO, 'base', { os: 'linux', architecture: 'amd64' })
    proxy = await startFaultProxy(registry.url, { tokenTarget: registry.tokenServer!.url })
  })

  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  it('rewrites the Bearer realm to the proxy and forwards /token there (counted, faultable)', async () => {
    const [user, password] = Object.entries(registry.users)[0] ?? ['', '']
    proxy.configure({
      tokenTarget: registry.tokenServer!.url,
      script: [{ match: { kinds: ['token'] }, fault: { kind: 'status-503', phase: 'before' } }]
    })
    proxy.reset()
    const challenge = await see(`${proxy.url}/v2/${REPO}/manifests/base`, {
      headers: { accept: MANIFEST_ACCEPT }
    })
    expect(challenge.status).toBe(401)
    const www = challenge.headers?.get('www-authenticate') ?? ''
    expect(www).toMatch(/^Bearer /)
    expect(www).toContain(`realm="${proxy.url}/token"`)
    expect(www).toContain('service="test-registry"')
    expect(www).toContain(`scope="repository:${REPO}:pull"`)

    const tokenUrl = new URL(`${proxy.url}/token`)
    tokenUrl.searchParams.set('service', 'test-registry')
    tokenUrl.searchParams.set('scope', `repository:${REPO}:pull`)
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    const before = registry.tokenServer!.requests.length
    expect((await see(tokenUrl.toString(), { headers: { authorization: basic } })).status).toBe(503)
    const tok = await see(tokenUrl.toString(), { headers: { authorization: basic } })
    expect(tok.status).toBe(200)
    // Only the second token request reached the token server.
    expect(registry.tokenServer!.requests.length - before).toBe(1)
    const token = (JSON.parse(tok.body ?? '{}') as { token: string }).token
    const got = await see(`${proxy.url}/v2/${REPO}/manifests/base`, {
      headers: { accept: MANIFEST_ACCEPT, authorization: `Bearer ${token}` }
    })
    expect(got.status).toBe(200)
    expect(got.headers?.get('docker-content-digest')).toBe(image.digest)
    expect(proxy.counts()).toEqual({ 'GET manifest': 2, 'GET token': 2 })
    expect(proxy.injectedCounts()).toEqual({ 'status-503/before': 1 })
  })

  it('redirects blob GETs to another origin that serves the right bytes and never sees Authorization', async () => {
    const target = await startBlobRedirectTarget(registry.url, access.authHeader)
    try {
      proxy.configure({ tokenTarget: registry.tokenServer!.url, redirectBlobsTo: target.url })
      proxy.reset()
      const auth = (await access.authHeader?.(REPO)) ?? ''
      const blobPath = `/v2/${REPO}/blobs/${image.configDigest}`
      // Without a token the registry's 401 comes through, not a redirect.
      expect((await see(`${proxy.url}${blobPath}`)).status).toBe(401)
      const manual = await see(`${proxy.url}${blobPath}`, { headers: { authorization: auth } })
      expect(manual.status).toBe(307)
      expect(manual.headers?.get('location')).toBe(`${target.url}/${REPO}/${image.configDigest}`)
      // fetch follows the cross-origin redirect and drops Authorization on the way.
      const followed = await get(`${proxy.url}${blobPath}`, {
        headers: { authorization: auth },
        redirect: 'follow'
      })
      expect(followed.status).toBe(200)
      expect(followed.url).toBe(`${target.url}/${REPO}/${image.configDigest}`)
      expect(sha256Digest(Buffer.from(await followed.arrayBuffer()))).toBe(image.configDigest)
      expect(target.requests).toHaveLength(1)
      expect(target.requests.every((r) => r.headers.authorization === undefined)).toBe(true)
      // HEAD is not redirected.
      expect((await rawRequest(`${proxy.url}${blobPath}`, 'HEAD', 2000)).status).toBe(401)
    } finally {
      await target.stop()
    }
  })
})

describe('prng', () => {
  it('is mulberry32: deterministic per seed, uniform enough, in [0, 1)', () => {
    const a = mulberry32(7)
    const b = mulberry32(7)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
    // Known first value for seed 1 (reference mulberry32).
    expect(mulberry32(1)()).toBeCloseTo(0.6270739405881613, 12)
    const p = createPrng(3)
    const picks = new Set(Array.from({ length: 200 }, () => p.pick(['a', 'b', 'c'])))
    expect([...picks].sort()).toEqual(['a', 'b', 'c'])
  })
})
