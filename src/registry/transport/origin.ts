/**
 * Where a request goes and what it may carry there, decided once for every path of the
 * transport: the scheme of a registry, the same-origin rule for Authorization, and the refusal
 * of a redirect from HTTPS down to plain HTTP (docs/design.md §2 `insecure-registries`, §5).
 */
import { TransportError, type RequestContext } from '../base/errors.js'
import { isLoopbackHost, registryApiHost } from '../base/reference.js'
import type { RegistryRequest } from './request.js'

export class RegistryOrigins {
  private readonly insecure: ReadonlySet<string>

  constructor(
    /** Hosts (as named in references) that may be reached over plain HTTP besides loopback. */
    insecureRegistries: readonly string[],
    private readonly userAgent: string
  ) {
    this.insecure = new Set(insecureRegistries.map((h) => h.toLowerCase()))
  }

  /** True for the hosts reached over plain HTTP: loopback and insecure-registries. */
  allowsPlainHttp(host: string): boolean {
    return isLoopbackHost(host) || this.insecure.has(host.toLowerCase())
  }

  /** `http` for loopback and insecure-registries, else `https` (docs/design.md §2). */
  baseUrl(registry: string): string {
    return `${this.allowsPlainHttp(registry) ? 'http' : 'https'}://${registryApiHost(registry)}`
  }

  /** A path under the registry root, or an absolute URL (an upload Location) as it is. */
  requestUrl(registry: string, path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.baseUrl(registry)}${path}`
  }

  /** True when `url` is on the registry's own origin (scheme, host and port). */
  isRegistryOrigin(registry: string, url: string): boolean {
    return new URL(url).origin === new URL(this.baseUrl(registry)).origin
  }

  /**
   * A request's headers for `url`: Authorization only when `url` is on the registry's own
   * origin, never to another host (distribution-spec, API: redirects; docs/design.md §5).
   */
  requestHeaders(
    req: Pick<RegistryRequest, 'registry' | 'headers'>,
    url: string,
    authorization: string | undefined
  ): { headers: Record<string, string>; sameOrigin: boolean } {
    const sameOrigin = this.isRegistryOrigin(req.registry, url)
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers }
    if (authorization && sameOrigin) headers.authorization = authorization
    return { headers, sameOrigin }
  }

  /**
   * A redirect from HTTPS to plain HTTP would let anyone on the path play the storage host;
   * it is followed only to loopback or an insecure-registries host, as the registry itself
   * would be reached (docs/design.md §2 `insecure-registries`).
   */
  refuseDowngrade(context: RequestContext, from: URL, to: URL): void {
    if (from.protocol !== 'https:' || to.protocol === 'https:') return
    if (this.allowsPlainHttp(to.host)) return
    throw new TransportError(
      context,
      'INSECURE_REDIRECT',
      `refusing a redirect from HTTPS to ${to.protocol}//${to.host} (only loopback and insecure-registries hosts are reached over plain HTTP)`
    )
  }
}
