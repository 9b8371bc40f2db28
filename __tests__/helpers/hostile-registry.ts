/**
 * A hostile registry for the untrusted-input tests (docs/design.md §3 "Untrusted input"): a proxy
 * on 127.0.0.1 in front of a real registry that rewrites its answers the way an attacker who
 * controls the registry (or the network to its storage) would, and a "third host" that
 * records every request it gets, to prove no credential ever reaches it.
 *
 * Built on the forwarding core of ./counting-proxy.ts; everything binds 127.0.0.1 and stops
 * in bounded time.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { startProxyServer, type ProxyServer } from './counting-proxy.js'
import { closeHttpServer, listenLoopback } from './util.js'

/** One request the third host received. */
export interface ThirdHostRequest {
  method: string
  /** Path and query, as received. */
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** A host the attacker picks: a storage host that challenges, and the token realm it names. */
export interface ThirdHost {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` */
  host: string
  requests: ThirdHostRequest[]
  /** Every credential any request carried: Authorization, an `account` query, a token form. */
  credentialsSeen(): string[]
  stop(): Promise<void>
}

/**
 * Starts the third host: `/token` hands out `attacker-token`; everything else answers 401 with
 * a Bearer challenge whose realm is its own `/token`, asking for credentials.
 */
export async function startThirdHost(): Promise<ThirdHost> {
  const requests: ThirdHostRequest[] = []
  let url = ''
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      })
      if ((req.url ?? '').startsWith('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ token: 'attacker-token', expires_in: 300 }))
        return
      }
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="${url}/token",service="storage"`
      })
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'log in' }] }))
    })
  })
  const port = await listenLoopback(server)
  url = `http://127.0.0.1:${port}`
  return {
    url,
    host: `127.0.0.1:${port}`,
    requests,
    credentialsSeen: () =>
      requests.flatMap((r) =>
        [
          r.headers.authorization ?? '',
          new URL(r.path, url).searchParams.get('account') ?? '',
          /refresh_token|password/.test(r.body) ? r.body : ''
        ].filter((text) => text !== '')
      ),
    stop: () => closeHttpServer(server, 200)
  }
}

/** What the hostile proxy does to the registry's answers; everything else passes through. */
export interface HostileBehaviour {
  /** Blob GETs and HEADs answer 307 to this origin (e.g. a {@link ThirdHost}). */
  redirectBlobsTo?: string
  /** Manifest HEADs by tag answer this Docker-Content-Digest instead of the real one. */
  forgedHeadDigest?: string
  /** Names added to every tag listing. */
  extraTags?: string[]
}

export interface HostileProxy extends ProxyServer {
  /** Change the behaviour from now on. */
  configure(behaviour: HostileBehaviour): void
}

/** Starts the hostile proxy in front of `target` (`http://127.0.0.1:PORT`). */
export async function startHostileProxy(
  target: string,
  initial: HostileBehaviour = {}
): Promise<HostileProxy> {
  let behaviour = initial
  const proxy = await startProxyServer(target, async (ex) => {
    const { kind, method, path } = ex.record
    if (kind === 'blob' && behaviour.redirectBlobsTo) {
      ex.req.resume()
      const digest = path.split('?')[0]!.split('/').pop()
      ex.respond(
        { status: 307, headers: { location: `${behaviour.redirectBlobsTo}/blob/${digest}` } },
        true
      )
      return
    }
    const byTag = kind === 'manifest' && !/\/manifests\/sha256:/.test(path)
    if (method === 'HEAD' && byTag && behaviour.forgedHeadDigest !== undefined) {
      const upstream = await ex.fetchUpstream()
      if (upstream.status === 200)
        upstream.headers['docker-content-digest'] = behaviour.forgedHeadDigest
      ex.respond(upstream, true)
      return
    }
    if (kind === 'tags' && method === 'GET' && behaviour.extraTags) {
      const upstream = await ex.fetchUpstream()
      if (upstream.status === 200) {
        const listing = JSON.parse(upstream.body.toString('utf8')) as { tags?: string[] | null }
        listing.tags = [...(listing.tags ?? []), ...behaviour.extraTags]
        upstream.body = Buffer.from(JSON.stringify(listing))
        upstream.headers['content-length'] = String(upstream.body.length)
      }
      ex.respond(upstream, true)
      return
    }
    await ex.forward()
  })
  return Object.assign(proxy, {
    configure: (next: HostileBehaviour) => {
      behaviour = next
    }
  })
}

/**
 * The commands a hostile registry tries to slip into the log, each as the runner would see
 * it at the start of a line: an annotation, a mask that would hide `linux` from every later
 * line, a stop of command processing, and the legacy form (which the runner finds anywhere).
 */
export const FORGED_COMMANDS = [
  '::warning title=forged::',
  '::add-mask::linux',
  '::stop-commands::',
  '##['
]

/**
 * The lines of a runner's stdout that the runner would take as one of the forged commands:
 * a line that starts, after the blanks the runner trims, with one of them, or holds `##[`.
 */
export function forgedCommandLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter((line) => {
    // eslint-disable-next-line no-control-regex -- the blanks the runner trims
    const text = line.replace(/^[\s\u001c-\u001f\u0085]+/, '')
    return line.includes('##[') || FORGED_COMMANDS.some((command) => text.startsWith(command))
  })
}
