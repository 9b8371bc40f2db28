/**
 * Advanced settings from the environment, for unusual registries and for tests, read the same
 * way by the Action and the CLI; the inputs of action.yml stay the contract.
 * MULTIARCH_INDEX_REQUEST_TIMEOUT bounds one HTTP request (default 30s);
 * MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT bounds one credential-helper run (default 10s).
 */
import { parseDuration } from './duration.js'
import { InputError } from './errors.js'
import { DEFAULT_HELPER_TIMEOUT_MS } from '../registry/credentials/credential-helper.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../registry/base/retry-policy.js'

interface Tuning {
  policy: RetryPolicy
  helperTimeoutMs: number
}

function positiveDuration(
  env: Record<string, string | undefined>,
  name: string
): number | undefined {
  const text = env[name]?.trim()
  if (!text) return undefined
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0)
    throw new InputError(
      name,
      `'${text}' is not a positive duration such as 30s`,
      'environment variable'
    )
  return ms
}

/** Read the tuning variables; a malformed one is refused before any request. */
export function tuningFromEnv(env: Record<string, string | undefined>): Tuning {
  const requestTimeoutMs = positiveDuration(env, 'MULTIARCH_INDEX_REQUEST_TIMEOUT')
  return {
    policy:
      requestTimeoutMs === undefined
        ? DEFAULT_RETRY_POLICY
        : { ...DEFAULT_RETRY_POLICY, requestTimeoutMs },
    helperTimeoutMs:
      positiveDuration(env, 'MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT') ??
      DEFAULT_HELPER_TIMEOUT_MS
  }
}
