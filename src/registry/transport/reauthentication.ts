/**
 * What a 401 or 403 to one request changes (docs/design.md §3 "Retry", §5): a 401 from the
 * registry's own origin teaches its challenge and re-authenticates once per request; a 401
 * from any other origin changes nothing and fails; a refusal of the token shared by several
 * repositories (./auth.ts shareScopes) gets this request a token of its own, once.
 */
import type { Authenticator } from './auth.js'
import { foreignChallenge, type AnswerErrors } from './answer-errors.js'
import type { RegistryOrigins } from './origin.js'
import {
  isStream,
  type RegistryRequest,
  type RegistryResponse,
  type StreamResponse,
  type TriedResponse
} from './request.js'

/** What re-authentication is given: the authenticator, the origin rule, and one try. */
export interface ReauthenticationParts {
  auth: Pick<Authenticator, 'refuseSharedToken' | 'unauthorized'>
  origins: Pick<RegistryOrigins, 'isRegistryOrigin'>
  errors: AnswerErrors
  /** One try (./redirects.ts), its promise as it is (no extra await: see below). */
  send(req: RegistryRequest, stream: boolean): Promise<TriedResponse>
}

/** What one request has done about auth so far, across its tries. */
interface AuthProgress {
  reauthenticated: boolean
  ownToken: boolean
  challengeError: string | undefined
}

/**
 * The function the retry loop runs for `req`: one try, re-authenticated where a 401 or a
 * refused shared token says a new token may help. An answer `req` does not accept is thrown.
 */
export function reauthenticating(
  parts: ReauthenticationParts,
  req: RegistryRequest,
  stream: boolean
): () => Promise<RegistryResponse | StreamResponse> {
  // A 401 re-authenticates once per request, not once per try; so does a refused shared token.
  const progress: AuthProgress = {
    reauthenticated: false,
    ownToken: false,
    challengeError: undefined
  }
  return async () => {
    // No await between the first answer and challenged(), and none between the try's end
    // and this: the requests waiting for this registry's first contact go on as soon as it
    // is answered (a few microtasks later), and must find the challenge learned by then.
    let response = ownOrigin401(parts, req, await parts.send(req, stream))
    if (sharedTokenRefused(parts, req, response, progress))
      response = ownOrigin401(parts, req, await parts.send(req, stream))
    if (response.status === 401 && (await challenged(parts, req, response, progress))) {
      progress.reauthenticated = true
      response = ownOrigin401(parts, req, await parts.send(req, stream))
      if (sharedTokenRefused(parts, req, response, progress))
        response = ownOrigin401(parts, req, await parts.send(req, stream))
      if (response.status === 401) await challenged(parts, req, response, progress)
    }
    if (req.accept.includes(response.status)) return response
    // Only accepted answers stay streams (./redirects.ts reads every other one).
    throw await parts.errors.registryError(
      req,
      response as RegistryResponse,
      progress.challengeError
    )
  }
}

/**
 * A 401 or 403 to the token shared by several repositories (./auth.ts, shareScopes): that
 * token does not grant this one. True, once per request, when it is worth another try with
 * a token of its own. Checked before the 401 handling, which would otherwise fetch the shared
 * token again.
 */
function sharedTokenRefused(
  parts: ReauthenticationParts,
  req: RegistryRequest,
  response: TriedResponse,
  progress: AuthProgress
): boolean {
  if (progress.ownToken || (response.status !== 401 && response.status !== 403)) return false
  if (!parts.auth.refuseSharedToken(req.registry, response.requestAuthorization)) return false
  if (isStream(response)) response.body.destroy()
  progress.ownToken = true
  return true
}

/**
 * After a 401: learn the challenge and drop the refused token, also on the final 401 (its
 * `error`, e.g. insufficient_scope, goes into the message). True when one re-authenticated
 * try may succeed.
 */
async function challenged(
  parts: ReauthenticationParts,
  req: RegistryRequest,
  response: TriedResponse,
  progress: AuthProgress
): Promise<boolean> {
  const sent = response.requestAuthorization
  const challenge = await parts.auth.unauthorized(
    req.registry,
    response.headers['www-authenticate'],
    sent
  )
  progress.challengeError = challenge?.params.error
  // insufficient_scope with a token we just got will not change on a retry.
  const hopeless = sent !== undefined && challenge?.params.error === 'insufficient_scope'
  return challenge !== undefined && !hopeless && !progress.reauthenticated
}

/**
 * Only the registry's own origin may change what we authenticate with: a challenge from a
 * storage host would send our credentials to a realm of its choosing.
 */
function ownOrigin401(
  parts: ReauthenticationParts,
  req: RegistryRequest,
  response: TriedResponse
): TriedResponse {
  if (response.status !== 401 || parts.origins.isRegistryOrigin(req.registry, response.url))
    return response
  if (isStream(response)) response.body.destroy()
  throw foreignChallenge(req, response.url)
}
