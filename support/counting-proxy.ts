/**
 * A small HTTP reverse proxy on 127.0.0.1 that forwards everything to one target (a test
 * registry), streaming both ways, and counts requests by `${METHOD} ${kind}`.
 *
 * The Host header is forwarded unchanged, so the registry builds absolute `Location` URLs that
 * point back at the proxy. `WWW-Authenticate` is not rewritten here: the realm still points at
 * the token server directly (./fault-proxy.ts can rewrite it).
 *
 * The forwarding core ({@link startProxyServer}) is shared with ./fault-proxy.ts: a handler gets
 * each request as a {@link ProxyExchange} and may forward it (streamed or buffered), answer it
 * itself, or do something ruder to the socket. `onRequest` is the simple seam for answering a
 * request without contacting the target.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse
} from 'node:http'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import { delay, listenLoopback } from './util.js'

/** What a request is, by path. */
export type RequestKind =
  'ping' | 'manifest' | 'blob' | 'upload' | 'tags' | 'referrers' | 'catalog' | 'token'

/** One request seen by the proxy. */
export interface ProxiedRequest {
  method: string
  /** Path and query, as received. */
  path: string
  kind: RequestKind
  /** Status sent back to the client (0 while in flight, and for a reset or a headerless stall). */
  status: number
  /** True when the proxy answered instead of passing on the target's answer. */
  synthetic: boolean
  /** Status the target answered, when the request was forwarded (set by the shared core). */
  upstreamStatus?: number
  /** `${fault.kind}/${fault.phase}` when a fault was injected into this request (fault proxy). */
  fault?: string
}

/** A response made up by a hook instead of forwarding. */
export interface SyntheticResponse {
  status: number
  headers?: Record<string, string | string[]>
  body?: string | Buffer
}

/** A target's answer read to the end without being sent on. */
export interface UpstreamResponse {
  status: number
  statusMessage: string
  /** End-to-end headers only (hop-by-hop ones removed). */
  headers: Record<string, string | string[]>
  body: Buffer
}

/** Options for {@link startCountingProxy}. */
export interface CountingProxyOptions {
  /** Delay added before forwarding each request. */
  latencyMs?: number
  /**
   * Called for each request before it is forwarded (after it is recorded). Return a response
   * to answer it without contacting the target, or undefined to forward it.
   */
  onRequest?: (
    req: ProxiedRequest,
    index: number
  ) => SyntheticResponse | undefined | Promise<SyntheticResponse | undefined>
}

/** A running counting proxy. */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` */
  host: string
  /** Counts by `${METHOD} ${kind}`, e.g. `{ 'GET manifest': 2, 'PUT manifest': 1 }`. */
  counts(): Record<string, number>
  /** Every request, in arrival order. */
  requests: ProxiedRequest[]
  /** Forgets all recorded requests. */
  reset(): void
  stop(): Promise<void>
}

/** Classifies a registry request path (query ignored). */
export function classifyPath(path: string): RequestKind {
  const p = path.split('?')[0] ?? ''
  if (p === '/v2' || p === '/v2/') return 'ping'
  if (!p.startsWith('/v2/')) return 'token'
  if (p === '/v2/_catalog') return 'catalog'
  if (/\/blobs\/uploads(\/|$)/.test(p)) return 'upload'
  if (/\/manifests\/[^/]+$/.test(p)) return 'manifest'
  if (/\/blobs\/[^/]+$/.test(p)) return 'blob'
  if (/\/tags\/list$/.test(p)) return 'tags'
  if (/\/referrers\/[^/]+$/.test(p)) return 'referrers'
  return 'token'
}

// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; Node sets its own framing.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade'
])

/** The end-to-end headers of a message (hop-by-hop ones dropped). */
export function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value
  }
  return out
}

/** How to forward one request. */
export interface ForwardOptions {
  /** Another origin to send it to (`http://127.0.0.1:PORT`); default the proxy's target. */
  target?: string
  /** Rewrites the target's (end-to-end) response headers before they are used. */
  rewriteHeaders?: (headers: Record<string, string | string[]>) => Record<string, string | string[]>
}

/** A side request to the target, made by the proxy itself (not counted). */
export interface TargetRequest {
  method: string
  path: string
  headers?: OutgoingHttpHeaders
  body?: Buffer
}

/** One request as a handler of {@link startProxyServer} sees it. */
export interface ProxyExchange {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly record: ProxiedRequest
  /** Position in `requests` (restarts at 0 after `reset()`). */
  readonly index: number
  /** Forwards the request and streams the target's answer to the client; resolves when done. */
  forward(opts?: ForwardOptions): Promise<void>
  /** Forwards the request and reads the whole answer, sending nothing to the client. */
  fetchUpstream(opts?: ForwardOptions): Promise<UpstreamResponse>
  /** Sends a response (made up, or a buffered upstream one). A HEAD gets the headers only. */
  respond(r: SyntheticResponse, synthetic?: boolean): void
}

/** Handles one request; a rejection becomes a 502 (or a destroyed socket once headers are out). */
export type ProxyHandler = (ex: ProxyExchange) => Promise<void>

/** Options of {@link startProxyServer}. */
export interface ProxyServerOptions {
  /** How long stop() lets in-flight exchanges finish before destroying their sockets (default 1000). */
  stopGraceMs?: number
  /** Called by reset() after the request record is cleared. */
  onReset?: () => void
  /** Called first by stop(): drop anything the handler holds open (timers, stalled sockets). */
  onStop?: () => void
}

/** A running proxy built on the shared core, with a way to reach its target directly. */
export interface ProxyServer extends CountingProxy {
  /** Sends a request straight to the target (not through the proxy, not counted) and reads it all. */
  targetRequest(r: TargetRequest, target?: string): Promise<UpstreamResponse>
}

/** Bound on any single upstream exchange. */
const UPSTREAM_TIMEOUT_MS = 60_000

/**
 * The shared forwarding core: a 127.0.0.1 HTTP server that records every request (method, path,
 * kind, status) and hands it to `handler`. stop() closes the listener, destroys every client
 * socket still open after the grace period and every upstream request, and is bounded.
 */
export async function startProxyServer(
  target: string,
  handler: ProxyHandler,
  opts: ProxyServerOptions = {}
): Promise<ProxyServer> {
  const defaultTarget = new URL(target)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const upstreams = new Set<ClientRequest>()
  const sockets = new Set<Socket>()
  let requests: ProxiedRequest[] = []

  /** Sends one request to a target origin; resolves with the response head. */
  function sendUpstream(
    origin: URL,
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: Readable | Buffer | undefined,
    onClientRequest?: (r: ClientRequest) => void
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          protocol: origin.protocol,
          hostname: origin.hostname,
          port: origin.port,
          method,
          path,
          headers,
          agent,
          timeout: UPSTREAM_TIMEOUT_MS
        },
        resolve
      )
      upstreams.add(upstream)
      upstream.on('close', () => upstreams.delete(upstream))
      upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')))
      upstream.on('error', reject)
      onClientRequest?.(upstream)
      if (body instanceof Readable) {
        body.on('error', (err) => upstream.destroy(err))
        body.pipe(upstream)
      } else {
        upstream.end(body)
      }
    })
  }

  async function readAll(msg: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of msg) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  const server = createServer((req, res) => {
    const record: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      kind: classifyPath(req.url ?? '/'),
      status: 0,
      synthetic: false
    }
    requests.push(record)
    const index = requests.length - 1
    const originOf = (o?: ForwardOptions): URL =>
      o?.target === undefined ? defaultTarget : new URL(o.target)
    const headersOf = (
      up: IncomingMessage,
      o?: ForwardOptions
    ): Record<string, string | string[]> =>
      o?.rewriteHeaders === undefined
        ? endToEnd(up.headers)
        : o.rewriteHeaders(endToEnd(up.headers))

    const ex: ProxyExchange = {
      req,
      res,
      record,
      index,
      forward: async (o) => {
        let upstreamReq: ClientRequest | undefined
        // If the client goes away mid-exchange, stop the upstream one too.
        const onClose = (): void => {
          if (!res.writableFinished) upstreamReq?.destroy()
        }
        res.on('close', onClose)
        const up = await sendUpstream(
          originOf(o),
          record.method,
          record.path,
          endToEnd(req.headers),
          req,
          (r) => (upstreamReq = r)
        )
        record.upstreamStatus = up.statusCode ?? 502
        record.status = up.statusCode ?? 502
        res.writeHead(up.statusCode ?? 502, up.statusMessage, headersOf(up, o))
        await new Promise<void>((resolve, reject) => {
          up.on('error', reject)
          res.on('close', () => resolve())
          up.pipe(res)
          up.on('end', () => resolve())
        })
      },
      fetchUpstream: async (o) => {
        const up = await sendUpstream(
          originOf(o),
          record.method,
          record.path,
          endToEnd(req.headers),
          req
        )
        record.upstreamStatus = up.statusCode ?? 502
        const body = await readAll(up)
        return {
          status: up.statusCode ?? 502,
          statusMessage: up.statusMessage ?? '',
          headers: headersOf(up, o),
          body
        }
      },
      respond: (r, synthetic = true) => {
        record.synthetic = synthetic
        record.status = r.status
        const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body)
        const headers: Record<string, string | string[]> = { ...(r.headers ?? {}) }
        const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')
        // A HEAD keeps the Content-Length of the GET it stands for, when one is given.
        if (!hasLength || record.method !== 'HEAD') {
          for (const h of Object.keys(headers))
            if (h.toLowerCase() === 'content-length') delete headers[h]
          headers['content-length'] = String(body.length)
        }
        res.writeHead(r.status, headers)
        res.end(record.method === 'HEAD' ? undefined : body)
      }
    }

    handler(ex).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        record.status = 502
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`proxy: ${String(err)}`)
      } else {
        res.destroy()
      }
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const port = await listenLoopback(server)
  let stopping: Promise<void> | undefined

  async function stop(): Promise<void> {
    opts.onStop?.()
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    const grace = opts.stopGraceMs ?? 1000
    const killAll = (): void => {
      server.closeAllConnections()
      for (const s of sockets) s.destroy()
      for (const u of upstreams) u.destroy()
      agent.destroy()
    }
    const timer = setTimeout(killAll, grace)
    // Bounded even if something keeps a socket alive against all odds.
    let bound: NodeJS.Timeout | undefined
    await Promise.race([closed, new Promise<void>((r) => (bound = setTimeout(r, grace + 2000)))])
    clearTimeout(timer)
    clearTimeout(bound)
    killAll()
  }

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    counts: () => {
      const out: Record<string, number> = {}
      for (const r of requests) {
        const key = `${r.method} ${r.kind}`
        out[key] = (out[key] ?? 0) + 1
      }
      return out
    },
    get requests() {
      return requests
    },
    reset: () => {
      requests = []
      opts.onReset?.()
    },
    stop: () => (stopping ??= stop()),
    targetRequest: async (r, t) => {
      const up = await sendUpstream(
        t === undefined ? defaultTarget : new URL(t),
        r.method,
        r.path,
        r.headers ?? {},
        r.body
      )
      return {
        status: up.statusCode ?? 502,
        statusMessage: up.statusMessage ?? '',
        headers: endToEnd(up.headers),
        body: await readAll(up)
      }
    }
  }
}

/** Starts a proxy to `target` (`http://127.0.0.1:PORT`) on a free 127.0.0.1 port. */
export async function startCountingProxy(
  target: string,
  opts: CountingProxyOptions = {}
): Promise<CountingProxy> {
  const proxy = await startProxyServer(target, async (ex) => {
    if (opts.latencyMs !== undefined && opts.latencyMs > 0) await delay(opts.latencyMs)
    const synthetic = await opts.onRequest?.(ex.record, ex.index)
    if (synthetic === undefined) return ex.forward()
    ex.req.resume()
    ex.respond(synthetic)
  })
  // Only the CountingProxy surface: callers that hold it see exactly what they saw before.
  return {
    url: proxy.url,
    host: proxy.host,
    counts: proxy.counts,
    get requests() {
      return proxy.requests
    },
    reset: proxy.reset,
    stop: proxy.stop
  }
}
