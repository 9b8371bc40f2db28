/**
 * src/registry/api/blob-copy.ts (RepositoryClient.copyBlob, headBlob) and the streaming paths of
 * transport.ts against scripted registries on an undici MockAgent: a blob the target has; a
 * cross-repository mount with its two-scope token (docs/registry-protocol.md B.5), 201 and 202; a
 * streamed copy across registries, hashed in flight; a digest mismatch; a reset and a stall
 * mid-stream, each restarting the whole copy under the retry policy. Time is fake except the
 * stall test's 50 ms inactivity bound.
 */
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { Dispatcher, type MockAgent } from 'undici'
import { withDigest } from '../../src/registry/api/blob-copy.js'
import { RegistryClient, type RepositoryClient } from '../../src/registry/api/client.js'
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  TransportError
} from '../../src/registry/base/errors.js'
import {
  harness,
  mockAgent,
  START,
  TEST_POLICY,
  USER,
  type Harness,
  type Reply,
  type SeenRequest
} from './support/fakes.js'
import type { TransportOptions } from '../../src/registry/transport/transport.js'

const ONE = '127.0.0.1:5000'
const REG1 = 'http://127.0.0.1:5000'
const TWO = '127.0.0.1:6000'
const REG2 = 'http://127.0.0.1:6000'
const AUTH = 'http://127.0.0.1:5001'
const STORAGE = 'http://127.0.0.2:9000'

const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

const LAYER = Buffer.from('layer bytes '.repeat(1000))
const BLOB = { digest: sha256(LAYER), size: LAYER.length }
const UPLOAD = '/v2/a/dst/blobs/uploads/uuid-1?_state=abc%3D%3D'

type Seen = SeenRequest & { streamed?: boolean; bodyError?: Error }

/**
 * Serve every request to `origin` with `handler`, recording it. A streamed request body (a
 * blob PUT) is read to the end before the answer, as a registry reads it, into `req.body`.
 */
function serveStreams(
  agent: MockAgent,
  origin: string,
  seen: Seen[],
  handler: (req: Seen) => Reply
): void {
  agent
    .get(origin)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const streamed = opts.body instanceof Readable
      const headers: Record<string, string> = {}
      for (const [key, value] of Object.entries((opts.headers ?? {}) as Record<string, string>))
        headers[key.toLowerCase()] = String(value)
      const req: Seen = {
        origin,
        method: opts.method,
        path: opts.path,
        headers,
        body: streamed || opts.body == null ? undefined : Buffer.from(opts.body as Buffer),
        query: new URL(opts.path, origin).searchParams,
        streamed
      }
      seen.push(req)
      const reply = handler(req)
      const payload =
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
            ? reply.body
            : JSON.stringify(reply.body)
      const data = !streamed
        ? payload
        : async () => {
            const chunks: Buffer[] = []
            try {
              for await (const chunk of opts.body as Readable) chunks.push(chunk as Buffer)
            } catch (error) {
              req.bodyError = error as Error
            }
            req.body = Buffer.concat(chunks)
            return payload
          }
      return {
        statusCode: reply.status,
        data,
        responseOptions: { headers: reply.headers ?? {} }
      }
    })
    .persist()
}

/**
 * A dispatcher that breaks chosen responses after half their body: `reset` fails the body as
 * a dropped connection would, `stall` delivers nothing more. Everything else goes to `inner`.
 */
class MidStreamFaults extends Dispatcher {
  constructor(
    private readonly inner: Dispatcher,
    private readonly faultFor: (opts: Dispatcher.DispatchOptions) => 'reset' | 'stall' | undefined
  ) {
    super()
  }

  override dispatch(
    opts: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler
  ): boolean {
    const fault = this.faultFor(opts)
    if (!fault) return this.inner.dispatch(opts, handler)
    // undici's request() hands the mock agent a handler of the classic on* callbacks.
    type Callback = (...args: unknown[]) => unknown
    const legacy = handler as unknown as Record<
      'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError',
      Callback
    >
    let broken = false
    const wrapped = {
      onConnect: (...args: unknown[]) => legacy.onConnect(...args),
      onHeaders: (...args: unknown[]) => legacy.onHeaders(...args),
      onData: (chunk: Buffer) => {
        if (broken) return true
        broken = true
        legacy.onData(chunk.subarray(0, Math.floor(chunk.length / 2)))
        if (fault === 'reset') {
          legacy.onError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))
        }
        return true
      },
      onComplete: (trailers: unknown) => {
        if (!broken) legacy.onComplete(trailers)
      },
      onError: (error: Error) => legacy.onError(error)
    }
    return this.inner.dispatch(opts, wrapped as unknown as Dispatcher.DispatchHandler)
  }

  override async close(): Promise<void> {
    await this.inner.close()
  }
}

interface Setup {
  h: Harness
  seen: Seen[]
  agent: MockAgent
  client: RegistryClient
  source: RepositoryClient
  sameRegistry: RepositoryClient
  otherRegistry: RepositoryClient
}

/** A harness whose transport sends through `faults` (if any) to a fresh MockAgent. */
function setup(
  options: Partial<TransportOptions> & {
    faultFor?: (opts: Dispatcher.DispatchOptions) => 'reset' | 'stall' | undefined
  } = {}
): Setup {
  const agent = mockAgent()
  const { faultFor, ...rest } = options
  const dispatcher = faultFor ? new MidStreamFaults(agent, faultFor) : agent
  const h = harness({ dispatcher, ...rest })
  const client = new RegistryClient(h.transport)
  const seen: Seen[] = []
  return {
    h,
    seen,
    agent,
    client,
    source: client.repository({ registry: ONE, repository: 'a/src' }, 'pull'),
    sameRegistry: client.repository({ registry: ONE, repository: 'a/dst' }, 'pull,push'),
    otherRegistry: client.repository({ registry: TWO, repository: 'b/dst' }, 'pull,push')
  }
}

const pathOf = (req: Seen) => new URL(req.path, req.origin).pathname
const lines = (seen: Seen[]) => seen.map((r) => `${r.method} ${r.origin} ${r.path}`)

/** Registry one as a source: HEAD/GET of the layer in a/src; `layer` may be replaced. */
function sourceRegistry(layer: Buffer = LAYER): (req: Seen) => Reply | undefined {
  return (req) => {
    if (pathOf(req) !== `/v2/a/src/blobs/${BLOB.digest}`) return undefined
    return {
      status: 200,
      body: req.method === 'HEAD' ? '' : layer,
      headers: { 'content-length': String(layer.length), 'docker-content-digest': BLOB.digest }
    }
  }
}

/** A target registry for `repo` without the blob: uploads at UPLOAD-like Locations. */
function targetRegistry(
  repo: string,
  location = `/v2/${repo}/blobs/uploads/uuid-1?_state=abc%3D%3D`
) {
  let sessions = 0
  return (req: Seen): Reply | undefined => {
    const path = pathOf(req)
    if (req.method === 'HEAD' && path === `/v2/${repo}/blobs/${BLOB.digest}`) {
      return { status: 404, body: '' }
    }
    if (req.method === 'POST' && path === `/v2/${repo}/blobs/uploads/`) {
      sessions++
      return {
        status: 202,
        headers: { location: location.replace('uuid-1', `uuid-${sessions}`), range: '0-0' }
      }
    }
    if (req.method === 'PUT' && path.startsWith(`/v2/${repo}/blobs/uploads/`)) {
      return { status: 201, headers: { 'docker-content-digest': BLOB.digest } }
    }
    return undefined
  }
}

function either(...handlers: Array<(req: Seen) => Reply | undefined>) {
  return (req: Seen): Reply =>
    handlers.reduce<Reply | undefined>((found, handler) => found ?? handler(req), undefined) ?? {
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND', message: `${req.method} ${req.path}` }] }
    }
}

describe('headBlob', () => {
  it('is the size on 200 and undefined on 404', async () => {
    const { agent, seen, source } = setup()
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    await expect(source.headBlob(BLOB.digest)).resolves.toEqual({ size: BLOB.size })
    await expect(source.headBlob(sha256('other'))).resolves.toBeUndefined()
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD'])
  })
})

describe('scope sets', () => {
  it("asks one token for a mount's two scopes, and one scope for a plain request", async () => {
    const { h, agent, seen, source, sameRegistry } = setup({ credentials: async () => USER })
    serveStreams(agent, REG1, seen, (req): Reply => {
      const auth = req.headers.authorization
      if (!auth)
        return {
          status: 401,
          headers: { 'www-authenticate': `Bearer realm="${AUTH}/token",service="reg"` }
        }
      if (req.method === 'HEAD') return { status: 404, body: '' }
      return { status: 201, headers: { 'docker-content-digest': BLOB.digest } }
    })
    serveStreams(agent, AUTH, seen, (req) => ({
      status: 200,
      body: { token: `tok-${req.query.getAll('scope').join('+')}` }
    }))
    await expect(sameRegistry.copyBlob(source, BLOB)).resolves.toBe('mounted')
    const tokenRequests = seen.filter((r) => r.origin === AUTH).map((r) => r.query.getAll('scope'))
    expect(tokenRequests).toEqual([
      ['repository:a/dst:pull,push'],
      ['repository:a/dst:pull,push', 'repository:a/src:pull']
    ])
    const mount = seen.find((r) => r.method === 'POST')!
    expect(mount.headers.authorization).toBe(
      'Bearer tok-repository:a/dst:pull,push+repository:a/src:pull'
    )
    // The same set in another order is the same token; a set of one is the plain token.
    await h.transport.send({
      registry: ONE,
      method: 'POST',
      path: '/v2/a/dst/blobs/uploads/?mount=x&from=a/src',
      scope: ['repository:a/src:pull', 'repository:a/dst:pull,push', 'repository:a/src:pull'],
      context: { operation: 'mount blob', target: 'x' },
      accept: [201]
    })
    await h.transport.send({
      registry: ONE,
      method: 'POST',
      path: '/v2/a/dst/blobs/uploads/',
      scope: ['repository:a/dst:pull,push'],
      context: { operation: 'POST upload', target: 'x' },
      accept: [201]
    })
    expect(seen.filter((r) => r.origin === AUTH)).toHaveLength(2)
  })
})

describe('copyBlob', () => {
  it('answers exists when the target has the blob, and copies nothing', async () => {
    const { agent, seen, source, otherRegistry } = setup()
    serveStreams(agent, REG2, seen, (req) =>
      req.method === 'HEAD'
        ? { status: 200, body: '', headers: { 'content-length': String(BLOB.size) } }
        : { status: 500 }
    )
    await expect(otherRegistry.copyBlob(source, BLOB)).resolves.toBe('exists')
    expect(lines(seen)).toEqual([`HEAD ${REG2} /v2/b/dst/blobs/${BLOB.digest}`])
  })

  it('mounts from another repository of the same registry (201)', async () => {
    const { agent, seen, source, sameRegistry } = setup()
    serveStreams(
      agent,
      REG1,
      seen,
      either(
        (req) =>
          req.method === 'POST' && req.query.has('mount')
            ? {
                status: 201,
                headers: {
                  location: `/v2/a/dst/blobs/${BLOB.digest}`,
                  'docker-content-digest': BLOB.digest
                }
              }
            : undefined,
        targetRegistry('a/dst')
      )
    )
    await expect(sameRegistry.copyBlob(source, BLOB)).resolves.toBe('mounted')
    expect(lines(seen)).toEqual([
      `HEAD ${REG1} /v2/a/dst/blobs/${BLOB.digest}`,
      `POST ${REG1} /v2/a/dst/blobs/uploads/?mount=${BLOB.digest}&from=a/src`
    ])
  })

  it('fills the upload session a mount answered with 202, from the source, with no second POST', async () => {
    const { agent, seen, source, sameRegistry } = setup()
    serveStreams(
      agent,
      REG1,
      seen,
      either(
        (req) =>
          req.method === 'POST' && req.query.has('mount')
            ? { status: 202, headers: { location: UPLOAD.replace('uuid-1', 'from-mount') } }
            : undefined,
        sourceRegistry(),
        targetRegistry('a/dst')
      )
    )
    await expect(sameRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
    expect(lines(seen)).toEqual([
      `HEAD ${REG1} /v2/a/dst/blobs/${BLOB.digest}`,
      `POST ${REG1} /v2/a/dst/blobs/uploads/?mount=${BLOB.digest}&from=a/src`,
      `GET ${REG1} /v2/a/src/blobs/${BLOB.digest}`,
      `PUT ${REG1} /v2/a/dst/blobs/uploads/from-mount?_state=abc%3D%3D&digest=${BLOB.digest}`
    ])
    expect(seen.at(-1)!.body!.equals(LAYER)).toBe(true)
  })

  it('streams across registries: GET through a storage redirect without Authorization, PUT with digest and Content-Length', async () => {
    const { h, agent, seen, source, otherRegistry } = setup({ credentials: async () => USER })
    // Registry one wants a token; its blob GET redirects to a storage host.
    serveStreams(agent, REG1, seen, (req): Reply => {
      if (req.headers.authorization !== 'Bearer src-tok')
        return {
          status: 401,
          headers: { 'www-authenticate': `Bearer realm="${AUTH}/token",service="one"` }
        }
      return { status: 307, headers: { location: `${STORAGE}/blob?X-Amz-Signature=s` } }
    })
    serveStreams(agent, AUTH, seen, () => ({ status: 200, body: { token: 'src-tok' } }))
    serveStreams(agent, STORAGE, seen, () => ({
      status: 200,
      body: LAYER,
      headers: { 'content-length': String(LAYER.length) }
    }))
    // Registry two hands out an absolute Location.
    serveStreams(
      agent,
      REG2,
      seen,
      either(targetRegistry('b/dst', `${REG2}${UPLOAD.replace('a/dst', 'b/dst')}`))
    )
    await expect(otherRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
    const get = seen.find((r) => r.origin === STORAGE)!
    expect(get.headers).not.toHaveProperty('authorization')
    const put = seen.find((r) => r.method === 'PUT')!
    expect(put.origin).toBe(REG2)
    expect(put.path).toBe(`/v2/b/dst/blobs/uploads/uuid-1?_state=abc%3D%3D&digest=${BLOB.digest}`)
    expect(put.streamed).toBe(true)
    expect(put.headers['content-length']).toBe(String(BLOB.size))
    expect(put.headers['content-type']).toBe('application/octet-stream')
    expect(put.body!.equals(LAYER)).toBe(true)
    expect(seen.filter((r) => r.origin === REG2).map((r) => r.method)).toEqual([
      'HEAD',
      'POST',
      'PUT'
    ])
    expect(h.transport.requestCounts.get('PUT upload')).toBe(1)
    expect(h.transport.retries).toBe(0)
  })

  it('fails with DIGEST_MISMATCH when the bytes do not hash to the digest, and does not retry', async () => {
    const { h, agent, seen, source, otherRegistry } = setup()
    const tampered = Buffer.from(LAYER)
    tampered[10] ^= 1
    serveStreams(agent, REG1, seen, either(sourceRegistry(tampered)))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    const error = await otherRegistry.copyBlob(source, BLOB).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrityError)
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' })
    expect((error as Error).message).toBe(
      `PUT blob ${TWO}/b/dst@${BLOB.digest}: the source's bytes hash to ${sha256(tampered)}`
    )
    // The last bytes were held back: the registry never got a complete body.
    const put = seen.find((r) => r.method === 'PUT')!
    expect(put.body!.length).toBeLessThan(BLOB.size)
    expect(h.time.sleeps).toEqual([])
  })

  it('fails at once when the source announces another size than the descriptor', async () => {
    const { agent, seen, source, otherRegistry } = setup()
    serveStreams(agent, REG1, seen, either(sourceRegistry(Buffer.concat([LAYER, LAYER]))))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    await expect(otherRegistry.copyBlob(source, BLOB)).rejects.toThrow(
      `GET blob ${ONE}/a/src@${BLOB.digest}: the source serves ${2 * BLOB.size} bytes, the descriptor says ${BLOB.size}`
    )
    expect(seen.some((r) => r.method === 'PUT')).toBe(false)
  })

  it('restarts the whole copy, in a new session, after a reset mid-stream', async () => {
    let gets = 0
    const { h, agent, seen, source, otherRegistry } = setup({
      faultFor: (opts) =>
        opts.method === 'GET' && opts.path.includes('/blobs/') && ++gets === 1 ? 'reset' : undefined
    })
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    await expect(otherRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
    expect(seen.filter((r) => r.origin === REG2).map((r) => `${r.method} ${pathOf(r)}`)).toEqual([
      `HEAD /v2/b/dst/blobs/${BLOB.digest}`,
      'POST /v2/b/dst/blobs/uploads/',
      'PUT /v2/b/dst/blobs/uploads/uuid-1',
      'POST /v2/b/dst/blobs/uploads/',
      'PUT /v2/b/dst/blobs/uploads/uuid-2'
    ])
    const puts = seen.filter((r) => r.method === 'PUT')
    expect(puts[0].body!.length).toBeLessThan(BLOB.size)
    expect(puts[1].body!.equals(LAYER)).toBe(true)
    // One backoff through the transport's policy (full jitter at 0.5 of the first 100 ms).
    expect(h.time.sleeps).toEqual([50])
    expect(h.logger.at('info')).toEqual([
      `copy blob ${ONE}/a/src@${BLOB.digest} to ${TWO}/b/dst: network error UND_ERR_SOCKET; retrying until it answers or the step's timeout (600s left), next try in 0.1s`,
      `${TWO}: answering again after 0.1s and 1 failed try (copy blob ${ONE}/a/src@${BLOB.digest} to ${TWO}/b/dst succeeded)`
    ])
  })

  // Was: gives up after a count of tries. The bound is now the step's deadline.
  it("gives up at the step's deadline when every try is reset, naming the last failure", async () => {
    const { h, agent, seen, source, otherRegistry } = setup({
      deadline: START + 3_000,
      faultFor: (opts) => (opts.method === 'GET' ? 'reset' : undefined)
    })
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    const error = await otherRegistry.copyBlob(source, BLOB).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toMatch(
      /^copy blob .*: network error UND_ERR_SOCKET \(\d+ tries over .*\); the next try would be in .*, past the step's timeout/
    )
    const cause = (error as Error).cause
    expect(cause).toBeInstanceOf(TransportError)
    expect(cause).toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect((cause as Error).message).toBe(
      `GET blob ${ONE}/a/src@${BLOB.digest}: other side closed (UND_ERR_SOCKET) while streaming the body`
    )
    const puts = seen.filter((r) => r.method === 'PUT')
    expect(puts.length).toBeGreaterThan(5)
    expect(h.time.sleeps).toHaveLength(puts.length - 1)
    expect(h.time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3_000)
  })

  it('cuts off a stalled body by inactivity and copies on the next try', async () => {
    let gets = 0
    const { agent, seen, source, otherRegistry, h } = setup({
      policy: { ...TEST_POLICY, requestTimeoutMs: 50 },
      faultFor: (opts) =>
        opts.method === 'GET' && opts.path.includes('/blobs/') && ++gets === 1 ? 'stall' : undefined
    })
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    await expect(otherRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
    expect(h.logger.at('info')[0]).toContain('timed out; retrying until it answers')
    expect(
      seen
        .filter((r) => r.method === 'PUT')
        .at(-1)!
        .body!.equals(LAYER)
    ).toBe(true)
  })

  it("ends a stalled stream at the step's deadline, without a retry", async () => {
    const { agent, seen, source, otherRegistry, h } = setup({
      deadline: START + 40,
      faultFor: (opts) =>
        opts.method === 'GET' && opts.path.includes('/blobs/') ? 'stall' : undefined
    })
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    serveStreams(agent, REG2, seen, either(targetRegistry('b/dst')))
    const error = await otherRegistry.copyBlob(source, BLOB).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toBe(
      `GET blob ${ONE}/a/src@${BLOB.digest}: the step's timeout ran out while the body was streaming`
    )
    expect(h.time.sleeps).toEqual([])
  })

  it('stops a stream when the step is cancelled', async () => {
    const cancel = new AbortController()
    const { agent, seen, source, otherRegistry, h } = setup({
      signal: cancel.signal,
      faultFor: (opts) =>
        opts.method === 'GET' && opts.path.includes('/blobs/') ? 'stall' : undefined
    })
    serveStreams(agent, REG1, seen, either(sourceRegistry()))
    serveStreams(agent, REG2, seen, (req) => {
      // Cancel once the PUT is streaming (and stalled).
      if (req.method === 'PUT') setTimeout(() => cancel.abort(), 10)
      return either(targetRegistry('b/dst'))(req)
    })
    const error = await otherRegistry.copyBlob(source, BLOB).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
    expect(h.time.sleeps).toEqual([])
  })

  it('copies through the source when the target may not mount from it (401 insufficient_scope)', async () => {
    const { agent, seen, source, sameRegistry } = setup()
    serveStreams(
      agent,
      REG1,
      seen,
      either(
        (req) =>
          req.method === 'POST' && req.query.has('mount')
            ? { status: 403, body: { errors: [{ code: 'DENIED', message: 'no pull on a/src' }] } }
            : undefined,
        sourceRegistry(),
        targetRegistry('a/dst')
      )
    )
    await expect(sameRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      `/v2/a/dst/blobs/uploads/?mount=${BLOB.digest}&from=a/src`,
      '/v2/a/dst/blobs/uploads/'
    ])
  })

  it.each([
    [400, 'UNSUPPORTED'],
    [405, 'UNSUPPORTED'],
    [404, 'NAME_UNKNOWN']
  ])(
    'copies through the source after a mount refused with %i %s (docs/registry-quirks.md #14, #23)',
    async (status, code) => {
      const { agent, seen, sameRegistry, source } = setup()
      serveStreams(
        agent,
        REG1,
        seen,
        either(
          (req) =>
            req.method === 'POST' && req.query.has('mount')
              ? { status, body: { errors: [{ code, message: 'mount refused' }] } }
              : undefined,
          sourceRegistry(),
          targetRegistry('a/dst')
        )
      )
      await expect(sameRegistry.copyBlob(source, BLOB)).resolves.toBe('copied')
      expect(seen.filter((r) => r.method === 'POST')).toHaveLength(2)
    }
  )

  it('copies an empty blob', async () => {
    const { agent, seen, source, otherRegistry } = setup()
    const empty = { digest: sha256(''), size: 0 }
    serveStreams(agent, REG1, seen, () => ({
      status: 200,
      body: '',
      headers: { 'content-length': '0' }
    }))
    serveStreams(agent, REG2, seen, (req) =>
      req.method === 'HEAD'
        ? { status: 404 }
        : req.method === 'POST'
          ? { status: 202, headers: { location: '/v2/b/dst/blobs/uploads/e' } }
          : { status: 201 }
    )
    await expect(otherRegistry.copyBlob(source, empty)).resolves.toBe('copied')
    expect(seen.at(-1)!.path).toBe(`/v2/b/dst/blobs/uploads/e?digest=${empty.digest}`)
  })

  it('refuses a descriptor that is not a digest and size before any request', async () => {
    const { seen, source, otherRegistry } = setup()
    await expect(
      otherRegistry.copyBlob(source, { digest: 'md5:abc', size: 1 })
    ).rejects.toMatchObject({
      code: 'BAD_DOCUMENT'
    })
    await expect(
      otherRegistry.copyBlob(source, { digest: BLOB.digest, size: -1 })
    ).rejects.toMatchObject({
      code: 'BAD_DOCUMENT'
    })
    expect(seen).toHaveLength(0)
  })
})

describe('withDigest', () => {
  it.each([
    { location: `${REG1}/v2/a/uploads/u`, want: `${REG1}/v2/a/uploads/u?digest=sha256:ab` },
    {
      location: `${REG1}/v2/a/uploads/u?_state=x%3D%3D&b=1`,
      want: `${REG1}/v2/a/uploads/u?_state=x%3D%3D&b=1&digest=sha256:ab`
    }
  ])('adds digest to $location keeping its query', ({ location, want }) => {
    expect(withDigest(location, 'sha256:ab')).toBe(want)
  })
})
