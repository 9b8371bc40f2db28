/**
 * Credentials for a registry, and where they came from (for messages that say which
 * source was used, never its value: DESIGN.md §5).
 */

export interface Credentials {
  username: string
  /** The password; for `identity-token` the refresh token; for `registry-token` the token. */
  password: string
  /**
   * How the secret is used (registry-protocol.md §B.8): `password` as HTTP Basic (on the
   * token realm, or on the registry when it asks for Basic); `identity-token` as an OAuth2
   * refresh token (POST grant_type=refresh_token, GET fallback); `registry-token` sent to the
   * registry as a Bearer token as it is. Default `password`.
   */
  kind?: 'password' | 'identity-token' | 'registry-token'
  /** Human-readable origin, e.g. `the username/password inputs`, `github-token`. */
  source: string
}

/** Finds the credentials for a registry (as users name it: `ghcr.io`, `127.0.0.1:5000`). */
export type CredentialResolver = (registry: string) => Promise<Credentials | undefined>

/** No credentials anywhere: every registry is anonymous. */
export const ANONYMOUS: CredentialResolver = async () => undefined
