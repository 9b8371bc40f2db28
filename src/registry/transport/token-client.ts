/**
 * The token client (distribution auth/token.md, auth/oauth.md): asks a realm for a bearer
 * token and reads its grant. It knows nothing of registries, scopes or caching (./auth.ts
 * decides when a token is needed); it is given one HTTP exchange and the one retry loop, so
 * it can be tested against a plain HTTP server.
 *
 * Credentials go only to the realm the registry named, and never over plain HTTP except to
 * loopback and insecure-registries hosts (docs/design.md §5).
 */
import type { Credentials } from '../credentials/credentials.js'
import {
  RegistryError,
  TransportError,
  parseErrorBody,
  type RequestContext
} from '../base/errors.js'
import { isRetryableStatus } from '../base/failure.js'
import type { Logger } from '../base/logger.js'
import { parseRetryAfter } from '../base/retry-policy.js'
import { authHint } from '../credentials/auth-hints.js'
import { neutralise } from '../../oci/untrusted-text.js'
import { header, type RegistryResponse } from './request.js'

/** How a token is asked for: the realm and service of the registry's challenge. */
export interface TokenRequest {
  realm: string
  service: string | undefined
  scopes: string[]
  credentials: Credentials | undefined
}

/** A token and how long it may be used (expires_in defaults to 60 s: auth/token.md). */
interface TokenGrant {
  token: string
  expiresInSeconds: number
}

export type TokenFetcher = (request: TokenRequest) => Promise<TokenGrant>

/** What the token client is given: one exchange, the retry loop, and its words. */
interface TokenClientParts {
  /**
   * One buffered HTTP exchange. `slot` is the key of its concurrency bound: token requests
   * have their own, apart from the registry's even on the same host (ghcr.io/token), since a
   * stream holding a registry slot may need a fresh token to go on.
   */
  exchange(
    slot: string,
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: Buffer | undefined,
    context: RequestContext
  ): Promise<RegistryResponse>
  /** The one retry loop (../base/retry.ts) under the request policy, keyed for outage logs. */
  retrying<T>(key: string, what: string, run: () => Promise<T>): Promise<T>
  /** True for hosts that may be reached over plain HTTP (./origin.ts). */
  allowsPlainHttp(host: string): boolean
  now(): number
  logger: Logger
  userAgent: string
  /** What an auth error tells a user without credentials to do (the face's words). */
  howToLogIn?: string
  /** Hears every token request answered (for the request counts). */
  onRequest?(method: 'GET' | 'POST'): void
}

/** Parse a token response body: `token`, or its OAuth alias `access_token`. */
export function parseTokenResponse(body: unknown): TokenGrant | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  const token =
    typeof record.token === 'string' && record.token
      ? record.token
      : typeof record.access_token === 'string' && record.access_token
        ? record.access_token
        : undefined
  if (!token) return undefined
  const expires =
    typeof record.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : 60
  // auth/token.md: servers should not issue less than 60 s; the distribution client raises it.
  return { token, expiresInSeconds: Math.max(60, expires) }
}

export class TokenClient {
  constructor(private readonly parts: TokenClientParts) {}

  /**
   * Get a token from the realm (auth/token.md). A password goes as Basic on a GET; an identity
   * token first as an OAuth2 refresh-token POST (auth/oauth.md), falling back to the GET when
   * the server answers 400, 401, 404 or 405, as containerd does for GCR, ACR and Artifactory.
   */
  async fetch(tokenRequest: TokenRequest): Promise<TokenGrant> {
    const { userAgent } = this.parts
    const realm = new URL(tokenRequest.realm)
    const target = `${realm.origin}${realm.pathname}`
    if (realm.protocol !== 'https:' && !this.parts.allowsPlainHttp(realm.host)) {
      throw new TransportError(
        { operation: 'GET token', target },
        'INSECURE_REALM',
        'refusing to send credentials to a token realm over plain HTTP'
      )
    }
    const credentials = tokenRequest.credentials
    if (credentials?.kind === 'identity-token') {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.password,
        client_id: userAgent
      })
      if (tokenRequest.service) form.set('service', tokenRequest.service)
      if (tokenRequest.scopes.length > 0) form.set('scope', tokenRequest.scopes.join(' '))
      const context: RequestContext = { operation: 'POST token', target }
      const response = await this.exchange(
        context,
        realm.toString(),
        'POST',
        { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        Buffer.from(form.toString())
      )
      if (response.status === 200) return this.grant(context, response, tokenRequest)
      if (![400, 401, 404, 405].includes(response.status))
        throw this.refusal(context, response, tokenRequest)
      this.parts.logger.debug(
        `POST token ${target}: ${response.status}; trying GET (containerd's fallback)`
      )
    }
    const url = new URL(realm)
    if (tokenRequest.service) url.searchParams.set('service', tokenRequest.service)
    for (const scope of tokenRequest.scopes) url.searchParams.append('scope', scope)
    const headers: Record<string, string> = { 'user-agent': userAgent }
    if (credentials && credentials.kind !== 'registry-token') {
      if (credentials.username) url.searchParams.set('account', credentials.username)
      headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    const context: RequestContext = { operation: 'GET token', target }
    const response = await this.exchange(context, url.toString(), 'GET', headers, undefined)
    if (response.status !== 200) throw this.refusal(context, response, tokenRequest)
    return this.grant(context, response, tokenRequest)
  }

  /** One token request with the retry policy; any answer that is not retryable is returned. */
  private async exchange(
    context: RequestContext,
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: Buffer | undefined
  ): Promise<RegistryResponse> {
    const slot = `token ${new URL(url).host}`
    return this.parts.retrying(slot, `${context.operation} ${context.target}`, async () => {
      const response = await this.parts.exchange(slot, url, method, headers, body, context)
      this.parts.onRequest?.(method)
      if (isRetryableStatus(response.status)) {
        throw new RegistryError(context, response.status, parseErrorBody(response.body).errors, {
          retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after'), this.parts.now())
        })
      }
      return response
    })
  }

  /** A token request the realm refused, with what to check (never a credential's value). */
  private refusal(
    context: RequestContext,
    response: RegistryResponse,
    tokenRequest: TokenRequest
  ): RegistryError {
    const { errors, text } = parseErrorBody(response.body)
    return new RegistryError(context, response.status, errors, {
      bodyText: text,
      hint: authHint({
        registry: neutralise(tokenRequest.realm),
        status: response.status,
        scope: tokenRequest.scopes.join(' '),
        credentialSource: tokenRequest.credentials?.source ?? 'no credentials (anonymous)',
        challengeError: undefined,
        howToLogIn: this.parts.howToLogIn
      })
    })
  }

  private grant(
    context: RequestContext,
    response: RegistryResponse,
    tokenRequest: TokenRequest
  ): TokenGrant {
    let parsed: unknown
    try {
      parsed = JSON.parse(response.body.toString('utf8'))
    } catch {
      parsed = undefined
    }
    const grant = parseTokenResponse(parsed)
    if (!grant) {
      throw new RegistryError(context, response.status, [], {
        bodyText: `the token response has neither token nor access_token (credentials: ${tokenRequest.credentials?.source ?? 'anonymous'})`
      })
    }
    return grant
  }
}
