/**
 * The Docker credential-helper protocol (docker/docker-credential-helpers; docs/registry-protocol.md
 * §B.8): run `docker-credential-<name> get`, write the server address to stdin, read
 * `{"ServerURL","Username","Secret"}` from stdout. `Username: "<token>"` means the secret is
 * an identity token; "credentials not found" means none (anonymous).
 */
import type { Credentials } from './credentials.js'
import type { ExecFn } from './exec.js'
import { helperEnvironment } from './helper-environment.js'

/** Default bound on one helper run. */
export const DEFAULT_HELPER_TIMEOUT_MS = 10_000

/** Thrown when a helper fails in a way that is not "not found". */
export class CredentialHelperError extends Error {
  override name = 'CredentialHelperError'
  readonly code = 'CREDENTIAL_HELPER_FAILED'
}

/** Ask `docker-credential-<helper>` for the credentials of `server`. */
export async function runCredentialHelper(
  exec: ExecFn,
  helper: string,
  server: string,
  source: string,
  timeoutMs = DEFAULT_HELPER_TIMEOUT_MS,
  env: Readonly<Record<string, string | undefined>> = {}
): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper))
    throw new CredentialHelperError(`${source}: '${helper}' is not a credential helper name`)
  const program = `docker-credential-${helper}`
  const result = await exec(program, ['get'], {
    input: server,
    timeoutMs,
    env: helperEnvironment(env)
  })
  if (result.timedOut) {
    throw new CredentialHelperError(
      `${source}: ${program} did not answer within ${timeoutMs / 1000}s and was stopped`
    )
  }
  const said = `${result.stdout}\n${result.stderr}`
  if (result.exitCode !== 0) {
    if (/credentials not found/i.test(said)) return undefined
    if (result.exitCode === 127)
      throw new CredentialHelperError(`${source}: ${program} could not be run (is it on PATH?)`)
    // Helpers print only errors on failure; keep one line of it, never stdin.
    const line = said.trim().split('\n')[0]?.slice(0, 200) ?? ''
    throw new CredentialHelperError(
      `${source}: ${program} failed (exit ${result.exitCode})${line ? `: ${line}` : ''}`
    )
  }
  let body: unknown
  try {
    body = JSON.parse(result.stdout)
  } catch {
    throw new CredentialHelperError(`${source}: ${program} did not print JSON`)
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const username = typeof record.Username === 'string' ? record.Username : ''
  const secret = typeof record.Secret === 'string' ? record.Secret : ''
  if (!secret) return undefined
  if (username === '<token>')
    return { username: '', password: secret, kind: 'identity-token', source }
  return { username, password: secret, kind: 'password', source }
}
