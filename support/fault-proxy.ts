/**
 * A fault-injecting reverse proxy for the reliability tests, built on the forwarding core of
 * ./counting-proxy.ts (so it counts exactly as the counting proxy does).
 *
 * In front of a real registry it can: answer 500 / 502 (HTML) / 503 / 429 (with Retry-After in
 * seconds or as an HTTP-date), reset the connection, or stall a response — either instead of
 * forwarding (`before`) or after the registry has done the work and answered (`after`: the
 * lost-201 case); add latency; lag reads of a freshly PUT tag (read-after-write lag); refuse
 * overwriting a tag as ECR's immutable tags do; redirect blob GETs to another origin; and proxy
 * the token server too, rewriting the Bearer realm so token requests go through the proxy.
 *
 * Faults come from a fixed script and/or a seeded PRNG; both are decided synchronously when a
 * request arrives, so the same seed and the same request order give the same faults. An
 * outage window refuses every request (503 with Retry-After, or a reset) for a while, from a
 * chosen request on: a registry incident in the middle of a run.
 *
 * Everything binds 127.0.0.1; stop() destroys stalled sockets at once and everything else after
 * a short grace, and is bounded.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { createHash } from 'node:crypto'
import type { Socket } from 'node:net'
import {
  startProxyServer,
  type CountingProxy,
  type ForwardOptions,
  type ProxyExchange,
  type ProxiedRequest,
  type RequestKind,
  type SyntheticResponse
} from './counting-proxy.js'
import { createPrng, type Prng } from './prng.js'
import { closeHttpServer, delay, listenLoopback } from './util.js'

export type { RequestKind } from './counting-proxy.js'

/**
 * `status-404` (an addition) answers 404 MANIFEST_UNKNOWN, as a lagging replica does; it is not
 * in {@link ALL_FAULTS}, since a 404 is not a transient fault a client retries.
 */
export type FaultKind =
  'status-500' | 'status-502' | 'status-503' | 'status-429' | 'reset' | 'stall' | 'status-404'
export type FaultPhase = 'before' | 'after'

export interface Fault {
  kind: FaultKind
  phase: FaultPhase
  /** For status-429 / status-503: the Retry-After header value in seconds (default 1); null = no header. */
  retryAfterSeconds?: number | null
  /** Retry-After as an HTTP-date instead of seconds (for 429/503). */
  retryAfterDate?: boolean
  /** For stall: how long the response is held (headers sent, body never finished) before the socket is destroyed (default 10_000). */
  stallMs?: number
}

/** Which requests a fault may hit; all fields optional, all must match. */
export interface FaultMatch {
  kinds?: RequestKind[]
  methods?: string[]
  pathIncludes?: string
}

/**
 * A registry outage: from the first request that matches `from` (after one matching `after`
 * has been seen, when given), every request gets `fault` for `durationMs`, whatever it is.
 */
export interface Outage {
  from?: FaultMatch
  /** Open only once a request matching this has been seen (a phase: "after the PUT"). */
  after?: FaultMatch
  durationMs: number
  fault: Fault
}

/** What an outage window did. */
export interface OutageRecord {
  /** When the window opened and closes (Date.now() ms); undefined while not yet opened. */
  openedAt?: number
  closesAt?: number
  /** The request that opened it. */
  openedBy?: string
  /** Requests refused in the window. */
  refused: number
}

export interface FaultProxyOptions {
  /** An outage window (see {@link Outage}); it wins over the script and random faults. */
  outage?: Outage
  /** Fixed latency added to every request (before forwarding). */
  latencyMs?: number
  /**
   * Token server base URL (e.g. registry.tokenServer.url). When set, requests to /token* on the
   * proxy are forwarded there (counted as kind 'token'), and every Bearer WWW-Authenticate
   * header from the registry has its realm rewritten to `${proxy.url}/token`.
   */
  tokenTarget?: string
  /**
   * Seeded random faults: each request matching `only` (default: all) gets a fault with
   * probability `rate`, drawn uniformly from `faults` (default {@link ALL_FAULTS}).
   * Deterministic for a given seed and request order.
   */
  random?: { seed: number; rate: number; faults?: Fault[]; only?: FaultMatch }
  /**
   * A fixed script: for each request, the first entry whose `match` matches and whose `times`
   * (default 1) is not used up fires, and its count decreases. Script entries win over random
   * faults.
   */
  script?: Array<{ match: FaultMatch; fault: Fault; times?: number }>
  /**
   * Read-after-write lag: after a manifest PUT by tag succeeds, GET/HEAD of that tag answer,
   * for `ms`, what the tag held before the PUT (old bytes, digest, Content-Type) or 404
   * MANIFEST_UNKNOWN if it held nothing.
   */
  lag?: { ms: number }
  /** ECR-style immutable tags: a manifest PUT by tag to an existing tag answers 400 TAG_INVALID. */
  immutableTags?: boolean
  /** Redirect blob GETs: 307 to `${redirectBlobsTo}/<name>/<digest>` (another origin). */
  redirectBlobsTo?: string
  /**
   * Paginate tags lists (distribution 2.8 ignores `n` and `last`): answer pages of this many
   * tags, sorted, with a relative `Link: <...?n=&last=>; rel="next"` while more remain.
   */
  paginateTags?: number
}

export interface InjectedFault {
  index: number
  method: string
  path: string
  kind: RequestKind
  fault: Fault
}

export interface FaultProxy extends CountingProxy {
  /** Every fault injected so far, in order. */
  injected: InjectedFault[]
  /** Counts of injected faults by `${fault.kind}/${fault.phase}`. */
  injectedCounts(): Record<string, number>
  /** Replace options (script, random, lag, immutableTags, latency...) from now on; the PRNG restarts from the new seed. */
  configure(options: FaultProxyOptions): void
  /** The options in force (as last given). */
  readonly options: FaultProxyOptions
  /** Tags currently served stale by `lag`, as `<name>:<tag>`. */
  laggingTags(): string[]
  /** The outage window's record (refused: 0 and no openedAt when none opened). */
  outage(): OutageRecord
}

/** The transient kinds: what {@link ALL_FAULTS} is made of. */
const KINDS: FaultKind[] = [
  'status-500',
  'status-502',
  'status-503',
  'status-429',
  'reset',
  'stall'
]

/** Every fault kind in both phases (the default random set). */
export const ALL_FAULTS: Fault[] = KINDS.flatMap((kind) =>
  (['before', 'after'] as const).map((phase): Fault => {
    if (kind === 'status-429' || kind === 'status-503') return { kind, phase, retryAfterSeconds: 1 }
    if (kind === 'stall') return { kind, phase, stallMs: 10_000 }
    return { kind, phase }
  })
)

/** `${fault.kind}/${fault.phase}`, the key of {@link FaultProxy.injectedCounts}. */
export function faultKey(fault: Fault): string {
  return `${fault.kind}/${fault.phase}`
}

/** True when `record` satisfies every field of `match`. */
export function matchesFault(
  match: FaultMatch,
  record: Pick<ProxiedRequest, 'method' | 'path' | 'kind'>
): boolean {
  if (match.kinds !== undefined && !match.kinds.includes(record.kind)) return false
  if (
    match.methods !== undefined &&
    !match.methods.some((m) => m.toUpperCase() === record.method.toUpperCase())
  )
    return false
  if (match.pathIncludes !== undefined && !record.path.includes(match.pathIncludes)) return false
  return true
}

/** All four manifest media types, for the proxy's own reads of the target. */
const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json'
].join(', ')

/** What a lagging tag shows: the old manifest, or null for "no such tag". */
interface LagState {
  bytes: Buffer
  digest: string
  contentType: string
}
interface LagEntry {
  until: number
  old: LagState | null
}

/** Bound on draining a request body before a made-up answer. */
const DRAIN_TIMEOUT_MS = 10_000

function jsonError(code: string, message: string, detail?: unknown): Buffer {
  const err: Record<string, unknown> = { code, message }
  if (detail !== undefined) err.detail = detail
  return Buffer.from(JSON.stringify({ errors: [err] }))
}

function retryAfterHeader(fault: Fault): Record<string, string> {
  if (fault.retryAfterSeconds === null) return {}
  const seconds = fault.retryAfterSeconds ?? 1
  if (fault.retryAfterDate === true) {
    // HTTP-date has whole seconds: round up so the client never waits less than asked.
    const at = Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000
    return { 'retry-after': new Date(at).toUTCString() }
  }
  return { 'retry-after': String(seconds) }
}

/** The made-up answer of a status fault. */
export function statusFaultResponse(fault: Fault): SyntheticResponse {
  const json = { 'content-type': 'application/json; charset=utf-8' }
  switch (fault.kind) {
    case 'status-500':
      return { status: 500, headers: json, body: jsonError('UNKNOWN', 'injected 500') }
    case 'status-404':
      return {
        status: 404,
        headers: json,
        body: jsonError('MANIFEST_UNKNOWN', 'manifest unknown (injected 404)')
      }
    case 'status-502':
      return {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>'
      }
    case 'status-503':
      return {
        status: 503,
        headers: { ...json, ...retryAfterHeader(fault) },
        body: jsonError('UNAVAILABLE', 'injected 503')
      }
    case 'status-429':
      return {
        status: 429,
        headers: { ...json, ...retryAfterHeader(fault) },
        body: jsonError('TOOMANYREQUESTS', 'injected 429')
      }
    default:
      throw new Error(`not a status fault: ${fault.kind}`)
  }
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const v = headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}

function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(done, DRAIN_TIMEOUT_MS)
    req.once('end', done)
    req.once('close', done)
    req.once('error', done)
    req.resume()
  })
}

/** Sends a TCP RST where Node can (resetAndDestroy), else just destroys the socket. */
function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}

function parseManifestPath(pathname: string): { name: string; ref: string } | undefined {
  const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(pathname)
  return m === null ? undefined : { name: m[1] ?? '', ref: decodeURIComponent(m[2] ?? '') }
}

function parseBlobPath(pathname: string): { name: string; digest: string } | undefined {
  const m = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(pathname)
  if (m === null || (m[2] ?? '') === 'uploads') return undefined
  return { name: m[1] ?? '', digest: decodeURIComponent(m[2] ?? '') }
}

/** A digest reference (`algo:hex`) as opposed to a tag (tags cannot contain ':'). */
function isDigest(ref: string): boolean {
  return ref.includes(':')
}

function validate(options: FaultProxyOptions): void {
  const r = options.random
  if (r !== undefined) {
    if (!(r.rate >= 0 && r.rate <= 1))
      throw new Error(`fault proxy: random.rate ${r.rate} not in [0, 1]`)
    if (r.faults !== undefined && r.faults.length === 0)
      throw new Error('fault proxy: random.faults is empty')
  }
  for (const s of options.script ?? []) {
    if (s.times !== undefined && !(s.times >= 0))
      throw new Error(`fault proxy: bad times ${s.times}`)
  }
}

/** Starts a fault-injecting proxy to `target` on a free 127.0.0.1 port. */
export async function startFaultProxy(
  target: string,
  options: FaultProxyOptions = {}
): Promise<FaultProxy> {
  let opts: FaultProxyOptions = {}
  let prng: Prng | undefined
  let script: Array<{ match: FaultMatch; fault: Fault; left: number }> = []
  let injected: InjectedFault[] = []
  const lagged = new Map<string, LagEntry>()
  const putLocks = new Map<string, Promise<unknown>>()
  const stalls = new Set<{ socket: Socket; timer: NodeJS.Timeout }>()
  let proxyUrl = ''
  let outage: OutageRecord = { refused: 0 }
  /** True once a request matching `outage.after` has been seen. */
  let outageArmed = false

  function configure(next: FaultProxyOptions): void {
    validate(next)
    opts = next
    prng = next.random === undefined ? undefined : createPrng(next.random.seed)
    script = (next.script ?? []).map((s) => ({
      match: s.match,
      fault: s.fault,
      left: s.times ?? 1
    }))
    if (next.lag === undefined) lagged.clear()
    outage = { refused: 0 }
    outageArmed = next.outage?.after === undefined
  }

  /** The outage's fault for this request, opening the window when it is the trigger. */
  function inOutage(record: ProxiedRequest): Fault | undefined {
    const o = opts.outage
    if (o === undefined) return undefined
    const now = Date.now()
    if (outage.openedAt === undefined) {
      if (!outageArmed) {
        if (o.after !== undefined && matchesFault(o.after, record)) outageArmed = true
        return undefined
      }
      if (!matchesFault(o.from ?? {}, record)) return undefined
      outage = {
        openedAt: now,
        closesAt: now + o.durationMs,
        openedBy: `${record.method} ${record.path}`,
        refused: 0
      }
    }
    if (now >= (outage.closesAt ?? 0)) return undefined
    outage.refused++
    return o.fault
  }
  configure(options)

  /** Picks this request's fault, if any; synchronous, in arrival order. */
  function decide(record: ProxiedRequest): Fault | undefined {
    const down = inOutage(record)
    if (down !== undefined) return down
    let chosen: Fault | undefined
    for (const s of script) {
      if (s.left > 0 && matchesFault(s.match, record)) {
        s.left--
        chosen = s.fault
        break
      }
    }
    // Random draws are taken for every matching request, even when the script fired, so a
    // script does not shift the random faults of later requests.
    const random = opts.random
    if (random !== undefined && prng !== undefined && matchesFault(random.only ?? {}, record)) {
      if (prng.next() < random.rate) {
        const f = prng.pick(random.faults ?? ALL_FAULTS)
        chosen ??= f
      }
    }
    return chosen
  }

  function rewriteRealm(
    headers: Record<string, string | string[]>
  ): Record<string, string | string[]> {
    const name = Object.keys(headers).find((h) => h.toLowerCase() === 'www-authenticate')
    if (name === undefined) return headers
    const fix = (v: string): string =>
      /^\s*bearer\s/i.test(v)
        ? v.replace(/realm=("[^"]*"|[^,\s]*)/i, `realm="${proxyUrl}/token"`)
        : v
    const v = headers[name] ?? ''
    return { ...headers, [name]: Array.isArray(v) ? v.map(fix) : fix(v) }
  }

  /** Sends or returns an answer, depending on whether a fault will replace it. */
  function answer(
    ex: ProxyExchange,
    send: boolean,
    a: SyntheticResponse,
    synthetic: boolean
  ): SyntheticResponse {
    if (send) ex.respond(a, synthetic)
    return a
  }

  async function pass(
    ex: ProxyExchange,
    send: boolean,
    fwd: ForwardOptions
  ): Promise<SyntheticResponse | undefined> {
    if (send) {
      await ex.forward(fwd)
      return undefined
    }
    return ex.fetchUpstream(fwd)
  }

  async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = putLocks.get(key) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    const tail = run.catch(() => undefined)
    putLocks.set(key, tail)
    try {
      return await run
    } finally {
      if (putLocks.get(key) === tail) putLocks.delete(key)
    }
  }

  /**
   * Does what the proxy does with a request when no fault replaces it: forward (to the token
   * server or the registry), or answer for lag / immutable tags / blob redirects. With
   * `send` false nothing reaches the client and the answer is returned for an after-phase fault.
   */
  async function produce(
    ex: ProxyExchange,
    send: boolean,
    o: FaultProxyOptions
  ): Promise<SyntheticResponse | undefined> {
    const { record } = ex
    const pathname = record.path.split('?')[0] ?? ''
    const fwd: ForwardOptions = {}
    if (o.tokenTarget !== undefined) fwd.rewriteHeaders = rewriteRealm

    if (o.tokenTarget !== undefined && pathname.startsWith('/token'))
      return pass(ex, send, { target: o.tokenTarget })

    const manifest = record.kind === 'manifest' ? parseManifestPath(pathname) : undefined
    if (manifest !== undefined && !isDigest(manifest.ref)) {
      const key = `${manifest.name}:${manifest.ref}`
      if (record.method === 'PUT' && (o.lag !== undefined || o.immutableTags === true)) {
        return withLock(key, () => putByTag(ex, send, o, fwd, manifest.name, manifest.ref))
      }
      if (record.method === 'GET' || record.method === 'HEAD') {
        const entry = lagged.get(key)
        if (entry !== undefined && entry.until <= Date.now()) lagged.delete(key)
        else if (entry !== undefined) {
          // Ask the registry anyway, so authentication behaves as it really does.
          const real = await ex.fetchUpstream(fwd)
          if (real.status === 401 || real.status === 403) return answer(ex, send, real, false)
          if (entry.old === null) {
            return answer(
              ex,
              send,
              {
                status: 404,
                headers: { 'content-type': 'application/json; charset=utf-8' },
                body: jsonError('MANIFEST_UNKNOWN', 'manifest unknown', { Tag: manifest.ref })
              },
              true
            )
          }
          const { bytes, digest, contentType } = entry.old
          return answer(
            ex,
            send,
            {
              status: 200,
              headers: {
                'content-type': contentType,
                'content-length': String(bytes.length),
                'docker-content-digest': digest,
                etag: `"${digest}"`
              },
              body: bytes
            },
            true
          )
        }
      }
    }

    if (record.kind === 'tags' && record.method === 'GET' && o.paginateTags !== undefined) {
      const real = await ex.fetchUpstream(fwd)
      if (real.status !== 200) return answer(ex, send, real, false)
      const listing = JSON.parse(real.body.toString('utf8')) as {
        name: string
        tags: string[] | null
      }
      const all = [...(listing.tags ?? [])].sort()
      const last = new URL(record.path, 'http://proxy').searchParams.get('last')
      const start = last === null ? 0 : all.findIndex((t) => t > last)
      const page = start < 0 ? [] : all.slice(start, start + o.paginateTags)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (start >= 0 && start + o.paginateTags < all.length) {
        const next = `${pathname}?n=${o.paginateTags}&last=${encodeURIComponent(page[page.length - 1])}`
        headers.link = `<${next}>; rel="next"`
      }
      const body = Buffer.from(JSON.stringify({ name: listing.name, tags: page }))
      headers['content-length'] = String(body.length)
      return answer(ex, send, { status: 200, headers, body }, true)
    }

    const blob = record.kind === 'blob' ? parseBlobPath(pathname) : undefined
    if (blob !== undefined && record.method === 'GET' && o.redirectBlobsTo !== undefined) {
      // The registry decides first (auth, existence); only its 200 becomes a redirect.
      const real = await ex.fetchUpstream(fwd)
      if (real.status !== 200) return answer(ex, send, real, false)
      const location = `${o.redirectBlobsTo.replace(/\/+$/, '')}/${blob.name}/${blob.digest}`
      return answer(ex, send, { status: 307, headers: { location } }, true)
    }

    return pass(ex, send, fwd)
  }

  async function putByTag(
    ex: ProxyExchange,
    send: boolean,
    o: FaultProxyOptions,
    fwd: ForwardOptions,
    name: string,
    tag: string
  ): Promise<SyntheticResponse | undefined> {
    const { req, record } = ex
    const auth = req.headers.authorization
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT }
    if (auth !== undefined) headers.authorization = auth
    const path = `/v2/${name}/manifests/${encodeURIComponent(tag)}`

    if (o.immutableTags === true) {
      const head = await proxy.targetRequest({ method: 'HEAD', path, headers })
      if (head.status === 200) {
        await drain(req)
        return answer(
          ex,
          send,
          {
            status: 400,
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: jsonError(
              'TAG_INVALID',
              `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the tag is immutable.`
            )
          },
          true
        )
      }
    }

    // undefined: the old state is unknown (e.g. 401), so this PUT gets no lag.
    let before: LagState | null | undefined
    if (o.lag !== undefined) {
      const active = lagged.get(`${name}:${tag}`)
      if (active !== undefined && active.until > Date.now()) {
        // Readers still see the older state; they keep seeing it.
        before = active.old
      } else {
        const got = await proxy.targetRequest({ method: 'GET', path, headers })
        if (got.status === 200) {
          before = {
            bytes: got.body,
            digest:
              headerValue(got.headers, 'docker-content-digest') ??
              `sha256:${createHash('sha256').update(got.body).digest('hex')}`,
            contentType: headerValue(got.headers, 'content-type') ?? 'application/json'
          }
        } else if (got.status === 404) {
          before = null
        }
      }
    }

    const result = await pass(ex, send, fwd)
    const status = record.upstreamStatus ?? 0
    if (o.lag !== undefined && before !== undefined && status >= 200 && status < 300) {
      lagged.set(`${name}:${tag}`, { until: Date.now() + o.lag.ms, old: before })
    }
    return result
  }

  function stall(ex: ProxyExchange, fault: Fault, after: SyntheticResponse | undefined): void {
    const { req, res, record } = ex
    record.synthetic = true
    req.resume()
    // A HEAD response is complete with its headers, so a HEAD stall sends nothing at all.
    if (record.method !== 'HEAD') {
      let status = 200
      let headers: Record<string, string | string[]> = {
        'content-type': 'application/json; charset=utf-8',
        'content-length': '1024'
      }
      if (after !== undefined) {
        const length = after.body === undefined ? 0 : Buffer.byteLength(after.body)
        status = after.status
        headers = { ...(after.headers ?? {}) }
        for (const h of Object.keys(headers))
          if (h.toLowerCase() === 'content-length') delete headers[h]
        headers['content-length'] = String(length > 0 ? length : 1024)
      }
      record.status = status
      res.writeHead(status, headers)
      res.flushHeaders()
    }
    const socket = req.socket
    const entry = {
      socket,
      timer: setTimeout(() => {
        stalls.delete(entry)
        socket.destroy()
      }, fault.stallMs ?? 10_000)
    }
    stalls.add(entry)
    socket.once('close', () => {
      clearTimeout(entry.timer)
      stalls.delete(entry)
    })
  }

  async function inject(
    ex: ProxyExchange,
    fault: Fault,
    after: SyntheticResponse | undefined
  ): Promise<void> {
    const { req, record } = ex
    if (fault.kind === 'reset') {
      record.synthetic = true
      record.status = 0
      resetSocket(req.socket)
      return
    }
    if (fault.kind === 'stall') return stall(ex, fault, after)
    if (after === undefined) await drain(req)
    ex.respond(statusFaultResponse(fault), true)
  }

  async function handle(ex: ProxyExchange): Promise<void> {
    const o = opts
    const fault = decide(ex.record)
    if (fault !== undefined) {
      ex.record.fault = faultKey(fault)
      injected.push({
        index: ex.index,
        method: ex.record.method,
        path: ex.record.path,
        kind: ex.record.kind,
        fault
      })
    }
    if (o.latencyMs !== undefined && o.latencyMs > 0) await delay(o.latencyMs)
    if (fault === undefined) {
      await produce(ex, true, o)
      return
    }
    if (fault.phase === 'before') return inject(ex, fault, undefined)
    const real = await produce(ex, false, o)
    return inject(ex, fault, real)
  }

  const proxy = await startProxyServer(target, handle, {
    stopGraceMs: 200,
    onReset: () => {
      injected = []
    },
    onStop: () => {
      for (const s of stalls) {
        clearTimeout(s.timer)
        s.socket.destroy()
      }
      stalls.clear()
    }
  })
  proxyUrl = proxy.url

  return {
    url: proxy.url,
    host: proxy.host,
    counts: proxy.counts,
    get requests() {
      return proxy.requests
    },
    reset: proxy.reset,
    stop: proxy.stop,
    get injected() {
      return injected
    },
    injectedCounts: () => {
      const out: Record<string, number> = {}
      for (const i of injected) {
        const key = faultKey(i.fault)
        out[key] = (out[key] ?? 0) + 1
      }
      return out
    },
    configure,
    get options() {
      return opts
    },
    outage: () => ({ ...outage }),
    laggingTags: () => {
      const now = Date.now()
      return [...lagged].filter(([, e]) => e.until > now).map(([k]) => k)
    }
  }
}

/** One request seen by a {@link BlobRedirectTarget}. */
export interface BlobRedirectRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

/** A stand-in for a storage host that blob GETs are redirected to. */
export interface BlobRedirectTarget {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** Every request, with its headers as received. */
  requests: BlobRedirectRequest[]
  stop(): Promise<void>
}

/**
 * Starts a second loopback origin serving GET/HEAD `/<name>/<digest>` by fetching the blob from
 * the registry itself (with `authHeader(name)`), and recording every request's headers — so a
 * test can check that no Authorization header ever follows a redirect here.
 */
export async function startBlobRedirectTarget(
  registryUrl: string,
  authHeader?: (repo: string) => Promise<string | undefined>
): Promise<BlobRedirectTarget> {
  const requests: BlobRedirectRequest[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers })
    serve(req)
      .then(({ status, body, type }) => {
        res.writeHead(status, { 'content-type': type, 'content-length': String(body.length) })
        res.end(req.method === 'HEAD' ? undefined : body)
      })
      .catch((err: unknown) => {
        if (res.headersSent) return void res.destroy()
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`blob redirect target: ${String(err)}`)
      })
  })

  async function serve(
    req: IncomingMessage
  ): Promise<{ status: number; body: Buffer; type: string }> {
    req.resume()
    const text = (status: number, msg: string): { status: number; body: Buffer; type: string } => ({
      status,
      body: Buffer.from(msg),
      type: 'text/plain'
    })
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed')
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    const slash = pathname.lastIndexOf('/')
    const name = pathname.slice(1, slash)
    const digest = decodeURIComponent(pathname.slice(slash + 1))
    if (slash <= 0 || name === '' || !digest.includes(':')) return text(404, 'not found')
    const headers: Record<string, string> = {}
    const auth = await authHeader?.(name)
    if (auth !== undefined) headers.authorization = auth
    const res = await fetch(`${registryUrl.replace(/\/+$/, '')}/v2/${name}/blobs/${digest}`, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(15_000)
    })
    const body = Buffer.from(await res.arrayBuffer())
    if (res.status !== 200)
      return text(res.status === 404 ? 404 : 502, `registry answered ${res.status}`)
    return { status: 200, body, type: 'application/octet-stream' }
  }

  const port = await listenLoopback(server)
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => closeHttpServer(server, 200)
  }
}
