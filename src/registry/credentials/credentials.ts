/**
 * Credentials for a registry, and where they came from (for messages that say which
 * source was used, never its value: docs/design.md §5).
 */

export interface Credentials {
  username: string
  /** The password; for `identity-token` the refresh token; for `registry-token` the token. */
  password: string
  /**
   * How the secret is used (docs/registry-protocol.md §B.8): `password` as HTTP Basic (on the
   * token realm, or on the registry when it asks for Basic); `identity-token` as an OAuth2
   * refresh token (POST grant_type=refresh_token, GET fallback); `registry-token` sent to the
   * registry as a Bearer token as it is. Default `password`.
   */
  kind?: 'password' | 'identity-token' | 'registry-token'
  /** Human-readable origin, e.g. `the username/password inputs`, `github-token`. */
  source: string
}

/**
 * How a face names the credential sources it offers, so that messages speak the user's
 * language: inputs in a workflow, flags and variables in a terminal.
 */
export interface CredentialWords {
  /** The explicit user name and password, as a source (`the username/password inputs`). */
  given: string
  /** The GitHub token, as a source (`the github-token input`). */
  githubToken: string
  /** What to do when a registry found no credentials at all. */
  howToLogIn: string
}

/** The Action's words (the default). */
export const ACTION_CREDENTIAL_WORDS: CredentialWords = {
  given: 'the username/password inputs',
  githubToken: 'the github-token input',
  howToLogIn: 'set the username and password inputs, or log in first (docker/login-action)'
}

/** Finds the credentials for a registry (as users name it: `ghcr.io`, `127.0.0.1:5000`). */
export type CredentialResolver = (registry: string) => Promise<Credentials | undefined>

/** No credentials anywhere: every registry is anonymous. */
export const ANONYMOUS: CredentialResolver = async () => undefined
