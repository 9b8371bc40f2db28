/**
 * One try of a request: authorize, send, and follow redirects (blob downloads are redirected
 * to storage hosts: distribution-spec, API: redirects) with Authorization only on the
 * registry's own origin and never from HTTPS down to plain HTTP (./origin.ts). A retryable
 * status is thrown for the retry loop; any other final answer is returned, with the
 * Authorization it was sent with.
 */
import { TransportError, type RequestContext } from '../base/errors.js'
import { isRetryableStatus } from '../base/failure.js'
import type { Logger } from '../base/logger.js'
import { parseRetryAfter } from '../base/retry-policy.js'
import type { AnswerErrors } from './answer-errors.js'
import { drainBody } from './body.js'
import type { RegistryOrigins } from './origin.js'
import type { RequestCounts } from './request-counts.js'
import {
  header,
  isStream,
  type RegistryRequest,
  type RegistryResponse,
  type StreamResponse,
  type TriedResponse
} from './request.js'

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** One hop, sent under the registry's slots: read whole, or (`stream`) with its body open. */
export type Hop = (
  req: RegistryRequest,
  url: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  stream: boolean
) => Promise<RegistryResponse | StreamResponse>

export interface RedirectParts {
  origins: RegistryOrigins
  authorization(registry: string, scope: RegistryRequest['scope']): Promise<string | undefined>
  hop: Hop
  counts: RequestCounts
  errors: AnswerErrors
  logger: Logger
  now(): number
  /**
   * Called when the try is over, answered or not, before its answer reaches the caller
   * (./first-contact.ts lets the requests waiting for this registry go).
   */
  tried(registry: string): void
}

/**
 * One try: authorize, send (following redirects), read the body (or, for `stream`, hand
 * over the body of an accepted final answer); classify failures.
 */
export async function sendFollowingRedirects(
  parts: RedirectParts,
  req: RegistryRequest,
  stream: boolean
): Promise<TriedResponse> {
  try {
    const authorization = await parts.authorization(req.registry, req.scope)
    let url = parts.origins.requestUrl(req.registry, req.path)
    for (let hop = 0; ; hop++) {
      const { headers, sameOrigin } = parts.origins.requestHeaders(req, url, authorization)
      const opened = await parts.hop(req, url, headers, hop === 0 ? req.body : undefined, stream)
      parts.counts.request(req.method, req.path)
      const redirect = req.followRedirects === true && REDIRECTS.has(opened.status)
      const retryable = isRetryableStatus(opened.status)
      const wanted =
        !redirect && !retryable && opened.status !== 401 && req.accept.includes(opened.status)
      const response = isStream(opened) && !wanted ? await drainBody(opened) : opened
      if (redirect) {
        url = nextHop(parts, req.context, response, url, hop)
        parts.logger.debug(
          `${req.context.operation} ${req.context.target}: redirected to ${new URL(url).host}`
        )
        continue
      }
      if (retryable) {
        throw await parts.errors.registryError(req, response as RegistryResponse, undefined, {
          retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after'), parts.now())
        })
      }
      return { ...response, requestAuthorization: sameOrigin ? authorization : undefined }
    }
  } finally {
    parts.tried(req.registry)
  }
}

/** Where a redirect leads, refused without a usable Location, past the limit, or downgraded. */
function nextHop(
  parts: Pick<RedirectParts, 'origins'>,
  context: RequestContext,
  response: RegistryResponse | StreamResponse,
  url: string,
  hop: number
): string {
  const location = header(response.headers, 'location')
  if (!location || hop >= MAX_REDIRECTS) {
    throw new TransportError(
      context,
      'REDIRECT',
      `${response.status} redirect without a usable Location after ${hop + 1} hops`
    )
  }
  const next = new URL(location, url)
  parts.origins.refuseDowngrade(context, new URL(url), next)
  return next.toString()
}
