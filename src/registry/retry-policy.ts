/**
 * The per-request retry policy of DESIGN.md §3, as data.
 *
 * Retried: network errors, 408, 429 and 5xx (not 501/505, which will not change). Delays are
 * exponential with full jitter (a random point in [0, min(cap, base·2^(n-1))]), so many
 * clients failing at once do not retry in step. `Retry-After` (seconds or an HTTP-date,
 * RFC 9110 §10.2.3) replaces the computed delay; no wait goes past the step's deadline.
 */

export interface RetryPolicy {
  /** Total tries of one request, the first included. */
  attempts: number
  /** First backoff ceiling. */
  baseMs: number
  /** Largest backoff ceiling. */
  capMs: number
  /** 'full': uniform in [0, ceiling]; 'none': the ceiling itself (for tests and logs). */
  jitter: 'full' | 'none'
  /** Bound on one request, headers and body, so a stalled response cannot hang the step. */
  requestTimeoutMs: number
}

/**
 * Defaults: 6 tries with ceilings 0.5, 1, 2, 4, 8 s (about 15 s worst case of backoff), and
 * 30 s per request. Enough to ride out a registry hiccup, well inside the 10 m step timeout.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseMs: 500,
  capMs: 8_000,
  jitter: 'full',
  requestTimeoutMs: 30_000
}

/** The wait before try `attempt + 1`, after `attempt` tries failed (attempt ≥ 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling
}

/** True for the statuses that a later try may fix. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

/** `Retry-After` as milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // Every HTTP-date form names a month (RFC 9110 §5.6.7); without this, V8's lenient
  // Date.parse reads garbage like '-1' or '1.5' as a date in 2001, i.e. "retry now".
  if (!/[a-z]{3}/i.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
