/**
 * Credentials for a registry, and where they came from (for messages that say which
 * source was used, never its value: DESIGN.md §5).
 */

export interface Credentials {
  username: string
  password: string
  /** Human-readable origin, e.g. `the username/password inputs`, `github-token`. */
  source: string
}

/** Finds the credentials for a registry (as users name it: `ghcr.io`, `127.0.0.1:5000`). */
export type CredentialResolver = (registry: string) => Promise<Credentials | undefined>

/** No credentials anywhere: every registry is anonymous. */
export const ANONYMOUS: CredentialResolver = async () => undefined

/**
 * The issue-2 chain: explicit inputs for the target registry, then `github-token` for
 * ghcr.io, then anonymous. (The Docker config joins this chain in its own issue.)
 */
export function staticCredentials(options: {
  targetRegistries: readonly string[]
  username?: string
  password?: string
  githubToken?: string
}): CredentialResolver {
  return async (registry) => {
    if (options.password && options.targetRegistries.includes(registry)) {
      return { username: options.username || 'oauth2', password: options.password, source: 'the username/password inputs' }
    }
    if (registry === 'ghcr.io' && options.githubToken) {
      // GHCR ignores the user name when the password is a GITHUB_TOKEN (registry-protocol.md A.3).
      return { username: 'x-access-token', password: options.githubToken, source: 'the github-token input' }
    }
    return undefined
  }
}
