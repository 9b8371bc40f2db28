/**
 * The typed errors for a registry's answers (docs/design.md §4): a RegistryError with the
 * status, the registry's error codes and text, and after a 401 or 403 what to check, naming
 * the credential source used (never its value); and the refusal of a 401 from another origin.
 */
import { RegistryError, TransportError, parseErrorBody } from '../base/errors.js'
import { authHint } from '../credentials/auth-hints.js'
import { neutralise } from '../../oci/untrusted-text.js'
import { scopeList, type Authenticator } from './auth.js'
import type { RegistryRequest, RegistryResponse } from './request.js'

export class AnswerErrors {
  constructor(
    private readonly auth: Pick<Authenticator, 'credentialSource'>,
    /** What an auth error tells a user without credentials to do (the face's words). */
    private readonly howToLogIn: string | undefined
  ) {}

  /** The error for an answer the caller did not accept (or a retryable one, to retry). */
  async registryError(
    req: Pick<RegistryRequest, 'registry' | 'method' | 'scope' | 'context'>,
    response: RegistryResponse,
    challengeError?: string,
    extra: { retryAfterMs?: number } = {}
  ): Promise<RegistryError> {
    const { errors, text } = parseErrorBody(response.body)
    const scope = scopeList(req.scope).join(' ')
    const hint =
      response.status === 401 || response.status === 403
        ? authHint({
            registry: req.registry,
            status: response.status,
            scope: scope === '' ? undefined : scope,
            credentialSource: await this.auth.credentialSource(req.registry),
            challengeError: challengeError === undefined ? undefined : neutralise(challengeError),
            howToLogIn: this.howToLogIn
          })
        : undefined
    return new RegistryError(req.context, response.status, errors, {
      hint,
      bodyText: req.method === 'HEAD' ? undefined : text,
      retryAfterMs: extra.retryAfterMs
    })
  }
}

/**
 * A 401 from an origin that is not the registry's (a redirected blob's storage host, an
 * upload Location elsewhere): no auth state changes and no credential goes there
 * (docs/design.md §3 "Retry", §5).
 */
export function foreignChallenge(
  req: Pick<RegistryRequest, 'registry' | 'context'>,
  url: string
): Error {
  const host = new URL(url).host
  return new TransportError(
    req.context,
    'FOREIGN_CHALLENGE',
    `${host} answered 401 Unauthorized, but it is not the registry ${req.registry}; credentials are never sent to another host, so this request cannot succeed (check the registry's storage redirect configuration)`
  )
}
