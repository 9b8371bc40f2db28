/**
 * A small HTTP reverse proxy on 127.0.0.1 that forwards everything to one target (a test
 * registry), streaming both ways, and counts requests by `${METHOD} ${kind}`.
 *
 * The Host header is forwarded unchanged, so the registry builds absolute `Location` URLs that
 * point back at the proxy. `WWW-Authenticate` is not rewritten: the realm still points at the
 * token server directly.
 *
 * `onRequest` is the seam for fault injection: it sees each request before it is forwarded and
 * may answer it itself.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import { closeHttpServer, delay, listenLoopback } from './util.js'

/** What a request is, by path. */
export type RequestKind =
  'ping' | 'manifest' | 'blob' | 'upload' | 'tags' | 'referrers' | 'catalog' | 'token'

/** One request seen by the proxy. */
export interface ProxiedRequest {
  method: string
  /** Path and query, as received. */
  path: string
  kind: RequestKind
  /** Status sent back to the client (0 while in flight). */
  status: number
  /** True when `onRequest` answered instead of the target. */
  synthetic: boolean
}

/** A response made up by an `onRequest` hook instead of forwarding. */
export interface SyntheticResponse {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
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

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value
  }
  return out
}

/** Starts a proxy to `target` (`http://127.0.0.1:PORT`) on a free 127.0.0.1 port. */
export async function startCountingProxy(
  target: string,
  opts: CountingProxyOptions = {}
): Promise<CountingProxy> {
  const targetUrl = new URL(target)
  let requests: ProxiedRequest[] = []

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
    handle(req, res, record, index).catch((err: unknown) => {
      if (!res.headersSent) {
        record.status = 502
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`counting proxy: ${String(err)}`)
      } else {
        res.destroy()
      }
    })
  })

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    record: ProxiedRequest,
    index: number
  ): Promise<void> {
    if (opts.latencyMs !== undefined && opts.latencyMs > 0) await delay(opts.latencyMs)
    const synthetic = await opts.onRequest?.(record, index)
    if (synthetic !== undefined) {
      req.resume()
      record.synthetic = true
      record.status = synthetic.status
      const body = synthetic.body === undefined ? Buffer.alloc(0) : Buffer.from(synthetic.body)
      res.writeHead(synthetic.status, {
        'content-length': String(body.length),
        ...(synthetic.headers ?? {})
      })
      res.end(req.method === 'HEAD' ? undefined : body)
      return
    }
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        {
          protocol: targetUrl.protocol,
          hostname: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: endToEnd(req.headers),
          timeout: 60_000
        },
        (upRes) => {
          record.status = upRes.statusCode ?? 502
          res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEnd(upRes.headers))
          upRes.pipe(res)
          upRes.on('end', () => resolve())
          upRes.on('error', reject)
        }
      )
      upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')))
      upstream.on('error', reject)
      req.on('error', reject)
      req.pipe(upstream)
    })
  }

  const port = await listenLoopback(server)
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
    },
    stop: () => closeHttpServer(server)
  }
}
