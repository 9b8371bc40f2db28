/**
 * Registry authentication: anonymous, Basic and Bearer token (distribution auth/token.md).
 *
 * The scheme of a registry is learned from its first 401 challenge. For Bearer, one token
 * is fetched per (realm, service, scope set) and shared by every request and image that
 * needs that scope set; concurrent requests wait for the same fetch. A token is dropped on
 * a 401 and fetched again once. Credentials go to the token realm only, never to the
 * registry itself unless it asked for Basic.
 *
 * A step that works on several repositories of one registry asks for all their scopes in one
 * token (shareScopes): token servers take several `scope` parameters and grant what the
 * account may do (docs/registry-protocol.md B.8), so a release of 40 images makes one token
 * request rather than 40. Where the shared token does not grant a scope (its `access` claim
 * says so, or the registry refuses it: some token servers read only the first scope,
 * docs/registry-quirks.md #22), that repository gets its own token, as without sharing.
 */
import { parseChallenges, type Challenge } from './challenge.js'
import type { CredentialResolver, Credentials } from '../credentials/credentials.js'
import { RegistryError } from '../base/errors.js'
import { grantsScope, tokenAccess, type Access } from './token-access.js'
import type { TokenFetcher } from './token-client.js'

/**
 * Asks the registry's base endpoint (`GET /v2/`) and returns its `WWW-Authenticate`, or
 * undefined when it sent none or could not be reached. docs/registry-quirks.md #16: some
 * registries (GCR) answer real requests with a 401 that carries no challenge; only the ping
 * does (containers/image and go-containerregistry ping first for this reason).
 */
type ChallengePing = (registry: string) => Promise<string | string[] | undefined>

interface CachedToken {
  token: string
  expiresAt: number
  /** What the token says it grants; undefined when it does not say (not a JWT). */
  access: Access[] | undefined
}

/** The scopes of several repositories, asked for in one token. */
interface SharedScopes {
  scopes: string[]
  /** The last shared token handed out, to recognise it when it is refused. */
  token?: string
  /** The registry refused a shared token: each scope set gets its own from now on. */
  refused: boolean
  /** The shared token being fetched, so that concurrent callers share its outcome too. */
  pending?: Promise<CachedToken | undefined>
}

interface RegistryAuthState {
  challenge?: Challenge
  credentials?: Promise<Credentials | undefined>
  tokens: Map<string, Promise<CachedToken>>
  shared?: SharedScopes
  /** The `/v2/` ping's challenge, asked for at most once per registry. */
  pinged?: Promise<Challenge | undefined>
}

/** A request's scope or scope set as a list without duplicates, in the caller's order. */
export function scopeList(scope: string | readonly string[] | undefined): string[] {
  if (scope === undefined) return []
  return [...new Set(typeof scope === 'string' ? [scope] : scope)].filter((s) => s !== '')
}

/** Tracks each registry's scheme, credentials and tokens. */
export class Authenticator {
  private readonly states = new Map<string, RegistryAuthState>()

  constructor(
    private readonly resolveCredentials: CredentialResolver,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number,
    private readonly ping: ChallengePing = () => Promise.resolve(undefined)
  ) {}

  private state(registry: string): RegistryAuthState {
    let state = this.states.get(registry)
    if (!state) {
      state = { tokens: new Map() }
      this.states.set(registry, state)
    }
    return state
  }

  /** Credentials for the registry, looked up once. */
  credentials(registry: string): Promise<Credentials | undefined> {
    const state = this.state(registry)
    state.credentials ??= this.resolveCredentials(registry)
    return state.credentials
  }

  /** Where the registry's credentials came from, for error messages. */
  async credentialSource(registry: string): Promise<string> {
    const credentials = await this.credentials(registry)
    return credentials ? credentials.source : 'no credentials (anonymous)'
  }

  /**
   * The scopes a step will need on `registry` (its repositories' `pull` or `pull,push`):
   * with more than one, every request needing only some of them uses one token for all.
   */
  shareScopes(registry: string, scopes: readonly string[]): void {
    const unique = [...new Set(scopes)].filter((s) => s !== '')
    if (unique.length > 1) this.state(registry).shared = { scopes: unique, refused: false }
  }

  /** True once the registry's scheme is known (after its first challenge). */
  knowsScheme(registry: string): boolean {
    return this.state(registry).challenge !== undefined
  }

  /**
   * The Authorization header for a request needing `scope` (one scope or a set, e.g. a
   * cross-repository mount's target pull,push plus source pull: docs/registry-protocol.md B.5),
   * or undefined (anonymous).
   */
  async authorization(
    registry: string,
    scope: string | readonly string[] | undefined
  ): Promise<string | undefined> {
    const state = this.state(registry)
    // A /v2/ ping under way (row 16) is about to tell the scheme: wait for it rather than
    // send a request that is sure to be refused.
    if (!state.challenge && state.pinged) await state.pinged
    const challenge = state.challenge
    if (!challenge) return undefined
    if (challenge.scheme === 'basic') {
      const credentials = await this.credentials(registry)
      if (!credentials) return undefined
      if (credentials.kind === 'registry-token') return `Bearer ${credentials.password}`
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return undefined
    const credentials = await this.credentials(registry)
    // A registry token from the Docker config goes to the registry as it is (docker/cli).
    if (credentials?.kind === 'registry-token') return `Bearer ${credentials.password}`
    const requested = scopeList(scope)
    const scopes =
      requested.length > 0
        ? requested
        : challenge.params.scope
          ? challenge.params.scope.split(' ').filter((s) => s !== '')
          : []
    const shared = state.shared
    if (
      shared &&
      !shared.refused &&
      scopes.length > 0 &&
      scopes.every((s) => shared.scopes.includes(s))
    ) {
      const token = await this.sharedToken(registry, state, challenge, shared)
      if (
        token &&
        (token.access === undefined || scopes.every((s) => grantsScope(token.access!, s)))
      )
        return `Bearer ${token.token}`
      // Not granted by the shared token: this scope set gets a token of its own.
    }
    const token = await this.token(registry, state, challenge, scopes)
    return `Bearer ${token.token}`
  }

  /** The shared token, or undefined when the token server refuses it (401 or 403). */
  private sharedToken(
    registry: string,
    state: RegistryAuthState,
    challenge: Challenge,
    shared: SharedScopes
  ): Promise<CachedToken | undefined> {
    if (!shared.pending) {
      const pending = this.token(registry, state, challenge, shared.scopes).then(
        (token) => {
          shared.token = token.token
          return token
        },
        (error: unknown) => {
          if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
            shared.refused = true
            return undefined
          }
          throw error
        }
      )
      shared.pending = pending
      // Cleared once settled (its outcome is recorded by then): the next caller reads the
      // token cache, which renews the token when it expires.
      pending
        .finally(() => {
          if (shared.pending === pending) shared.pending = undefined
        })
        .catch(() => undefined)
    }
    return shared.pending
  }

  /** A token for `scopes`: cached until shortly before it expires; one fetch at a time per set. */
  private async token(
    registry: string,
    state: RegistryAuthState,
    challenge: Challenge,
    scopes: string[]
  ): Promise<CachedToken> {
    // One token per scope set: the order a caller lists them in does not make another set.
    const key = `${challenge.params.realm}|${challenge.params.service ?? ''}|${[...scopes].sort().join(' ')}`
    const cached = state.tokens.get(key)
    if (cached) {
      try {
        const token = await cached
        // Renew a little before expiry so a token does not lapse in flight.
        if (token.expiresAt - 5_000 > this.now()) return token
      } catch {
        // a failed fetch is not cached; fall through and try again
      }
      if (state.tokens.get(key) === cached) state.tokens.delete(key)
    }
    if (!state.tokens.has(key)) {
      const fetching = (async () => {
        const credentials = await this.credentials(registry)
        const grant = await this.fetchToken({
          realm: challenge.params.realm,
          service: challenge.params.service,
          scopes,
          credentials
        })
        return {
          token: grant.token,
          expiresAt: this.now() + grant.expiresInSeconds * 1000,
          access: tokenAccess(grant.token)
        }
      })()
      state.tokens.set(key, fetching)
      fetching.catch(() => {
        if (state.tokens.get(key) === fetching) state.tokens.delete(key)
      })
    }
    return state.tokens.get(key)!
  }

  /**
   * The registry refused a request (401 or 403) that carried `authorization`. When that was
   * the shared token, every scope set of this registry gets its own token from now on, and
   * the answer is true: the request is worth one more try with a token of its own.
   */
  refuseSharedToken(registry: string, authorization: string | undefined): boolean {
    const shared = this.state(registry).shared
    if (!shared || shared.refused || shared.token === undefined) return false
    if (authorization !== `Bearer ${shared.token}`) return false
    shared.refused = true
    return true
  }

  /**
   * A 401 arrived. Learn the challenge and drop the token that was refused. Returns the
   * challenge so the caller can decide whether a retry can help (`insufficient_scope` with a
   * fresh token will not).
   *
   * A 401 without a usable challenge (docs/registry-quirks.md #16, GCR) is answered from what
   * is known: the registry's scheme learned earlier, else the challenge of one `GET /v2/`
   * ping, as containers/image and go-containerregistry do.
   */
  async unauthorized(
    registry: string,
    wwwAuthenticate: string | string[] | undefined,
    refusedAuthorization: string | undefined
  ): Promise<Challenge | undefined> {
    const state = this.state(registry)
    const challenges = parseChallenges(wwwAuthenticate)
    const chosen = pickChallenge(challenges)
    if (chosen) state.challenge = chosen
    else if (!state.challenge) {
      state.pinged ??= this.ping(registry).then((header) => pickChallenge(parseChallenges(header)))
      const pinged = await state.pinged
      if (pinged) state.challenge ??= pinged
    }
    if (refusedAuthorization?.startsWith('Bearer ')) {
      const refused = refusedAuthorization.slice('Bearer '.length)
      for (const [key, entry] of state.tokens) {
        const token = await entry.catch(() => undefined)
        if (token?.token === refused) state.tokens.delete(key)
      }
    }
    return chosen ?? state.challenge
  }
}

/** Bearer when offered (a token scoped per repository), else Basic. */
function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic')
  )
}
