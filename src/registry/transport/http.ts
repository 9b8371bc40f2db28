/**
 * The two parts of undici the transport uses: the connection pool (Agent) and the request
 * call. They come from undici's own modules rather than its index, because the index loads
 * every part of undici when the process starts (fetch, WebSocket, EventSource, caches, mock
 * agents, ...): bundled, that is over a megabyte of code compiled and run before the first
 * request, for parts this project never calls (README, Performance). undici is pinned to an
 * exact version in package.json, so these module paths move only when we move them.
 */
import type { Agent as AgentType, Dispatcher } from 'undici'
import UndiciAgent from 'undici/lib/dispatcher/agent.js'
import dispatcherRequest from 'undici/lib/api/api-request.js'

export const Agent = UndiciAgent
export type Agent = AgentType

/** What a request may carry: undici's request options, `dispatcher` required. */
interface HttpRequestOptions extends Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> {
  method: Dispatcher.HttpMethod
  dispatcher: Dispatcher
}

/**
 * Send one request to an absolute URL through `dispatcher` (an Agent, or a MockAgent in
 * tests). undici's index does this split of the URL into origin and path for its own
 * `request`; the dispatcher's request takes them apart.
 */
export function request(
  url: string,
  { dispatcher, ...options }: HttpRequestOptions
): Promise<Dispatcher.ResponseData> {
  const target = new URL(url)
  return dispatcherRequest.call(dispatcher, {
    ...options,
    origin: target.origin,
    path: `${target.pathname}${target.search}`
  })
}
