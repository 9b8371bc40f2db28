/**
 * What to tell a user after a 401 or 403 (docs/design.md §4): which credential source was used
 * (never its value) and what to check on that registry.
 */
import { ACTION_CREDENTIAL_WORDS } from './credentials.js'

interface AuthHintInput {
  registry: string
  status: number
  /** The scope asked for, e.g. `repository:o/r:pull,push`. */
  scope: string | undefined
  /** e.g. `the username/password inputs`, `no credentials (anonymous)`. */
  credentialSource: string
  /** The challenge's `error` parameter (`insufficient_scope`, `invalid_token`), if any. */
  challengeError: string | undefined
  /** What to do without credentials, in the face's words (default: the Action's inputs). */
  howToLogIn?: string
}

/** A sentence or two saying what to check. */
export function authHint(input: AuthHintInput): string {
  const { registry, status, scope, credentialSource } = input
  const parts: string[] = [`Credentials used: ${credentialSource}`]
  const wantsPush = scope?.includes('push') ?? false
  if (input.challengeError === 'insufficient_scope' && scope)
    parts.push(`the token does not grant ${scope}`)
  if (registry.includes('ghcr.io')) {
    parts.push(
      wantsPush
        ? "on ghcr.io the job needs 'permissions: packages: write', and the package's settings must give this repository Write access (Manage Actions access); a package first pushed by hand is user-scoped until linked"
        : "on ghcr.io a private package needs 'permissions: packages: read' and Read access for this repository"
    )
  } else if (registry.includes('docker.io') || registry.includes('docker.com')) {
    parts.push(
      wantsPush
        ? 'on Docker Hub the access token needs Read & Write scope and the account must be allowed to push to this repository'
        : 'on Docker Hub check the user name and access token'
    )
  } else if (credentialSource.startsWith('no credentials')) {
    parts.push(
      `no credentials were found for this registry: ${input.howToLogIn ?? ACTION_CREDENTIAL_WORDS.howToLogIn}`
    )
  } else if (status === 401) {
    parts.push('the registry refused them: check the user name and password or token')
  } else {
    parts.push(
      wantsPush
        ? 'the account may read but not push to this repository'
        : 'the account has no access to this repository'
    )
  }
  return parts.join('; ')
}
