/**
 * Retry schedules as data (docs/design.md §3 "Retry"): capped exponential backoff, with full
 * jitter where many clients may fail at once, and the bound of each loop. The request policy
 * has no count: a transient failure is retried until the step's deadline (the bound users
 * set is `timeout`; a registry incident of a minute must not fail a step whose timeout is
 * ten). `Retry-After` (seconds or an HTTP-date, RFC 9110 §10.2.3) replaces the computed delay.
 */

/** How one retry loop waits and when it stops (besides the step's deadline, always). */
export interface RetrySchedule {
  /** First backoff ceiling. */
  baseMs: number
  /** Largest backoff ceiling. */
  capMs: number
  /**
   * 'full': uniform in [0, ceiling], so clients that failed together do not retry in step
   * (AWS Architecture Blog, "Exponential Backoff And Jitter"); 'none': the ceiling itself,
   * for schedules of one client waiting on its own (a lagging read-back).
   */
  jitter: 'full' | 'none'
  /** Total tries, the first included; absent: until the step's deadline. */
  tries?: number
}

/** The per-request schedule, plus the bound on one request. */
export interface RetryPolicy extends RetrySchedule {
  /** Bound on one request, headers and body, so a stalled response cannot hang the step. */
  requestTimeoutMs: number
}

/**
 * Defaults. Ceilings 0.5, 1, 2, 4, 8, then 10 s: a blip costs well under a second, and once
 * an outage lasts, a recovered registry is used again within 10 s (5 s on average) while a
 * client with 64 requests in flight sends a struggling one about 13 requests per second.
 * No count: tries go on until the step's deadline. 30 s per request: registries answer
 * manifest and token requests in well under a second; a stalled one is cut off.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 500,
  capMs: 10_000,
  jitter: 'full',
  requestTimeoutMs: 30_000
}

/** The wait before try `attempt + 1`, after `attempt` tries failed (attempt ≥ 1). */
export function backoffDelay(policy: RetrySchedule, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling
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
