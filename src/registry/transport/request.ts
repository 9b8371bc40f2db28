/**
 * Requests and answers as values (docs/design.md §6: callers describe a request as data and
 * get the response, or a typed error). Every other module of the transport works on these.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { RequestContext } from '../base/errors.js'

/** A request, as data. */
export interface RegistryRequest {
  /** The registry as users name it (`docker.io`, `127.0.0.1:5000`). */
  registry: string
  method: 'GET' | 'HEAD' | 'PUT' | 'POST'
  /**
   * Path and query under the registry root, e.g. `/v2/o/r/manifests/v1`; or an absolute URL
   * the registry handed out (an upload session's `Location`), used as it is. Authorization
   * goes only to the registry's own origin (distribution-spec, API: redirects).
   */
  path: string
  headers?: Record<string, string>
  body?: Buffer
  /**
   * The token scope this request needs, e.g. `repository:o/r:pull,push`, or a scope set: a
   * cross-repository mount needs the target's `pull,push` and the source's `pull`
   * (docs/registry-protocol.md B.5). One token is fetched per distinct set.
   */
  scope?: string | readonly string[]
  context: RequestContext
  /** Statuses handed back to the caller; any other final status is thrown as RegistryError. */
  accept: readonly number[]
  /** Follow 3xx (blob downloads redirect to storage hosts). */
  followRedirects?: boolean
  /** Refuse bodies larger than this. */
  maxBodyBytes?: number
}

export interface RegistryResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** The URL that finally answered (after redirects). */
  url: string
}

/**
 * An answer whose body is handed over as a stream (a blob of any size). The caller must read
 * it to the end or destroy it: until then it holds one of the registry's concurrency slots.
 * The body fails with a TransportError when the network fails or no data moves for the
 * policy's request timeout, DeadlineError at the step's deadline, CancelledError on cancel.
 */
export interface StreamResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Readable
  /** The URL that finally answered (after redirects). */
  url: string
}

/** A request whose body is a stream of known length: set `content-length` in `headers`. */
export interface UploadRequest extends Omit<
  RegistryRequest,
  'body' | 'followRedirects' | 'maxBodyBytes'
> {
  body: Readable
}

/** An answer of one try, with the Authorization it was sent with (to recognise a refused token). */
export type TriedResponse = (RegistryResponse | StreamResponse) & {
  requestAuthorization?: string
}

/** One value of a response header (the first, when it came several times). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

export function isStream(response: RegistryResponse | StreamResponse): response is StreamResponse {
  return !Buffer.isBuffer(response.body)
}
