/**
 * The one retry loop (docs/design.md §3 "Retry"). It takes a schedule (./retry-policy.ts), asks
 * the one classifier (./failure.ts) about every failure, honours `Retry-After`, and never
 * waits past the step's deadline: a wait that would pass it fails at once with a
 * DeadlineError that says what kept failing. Cancellation ends a wait at once.
 */
import type { Deadline } from './deadline.js'
import { formatSeconds } from './deadline.js'
import { DeadlineError } from './errors.js'
import { classifyFailure } from './failure.js'
import { backoffDelay, type RetrySchedule } from './retry-policy.js'

/** One failed try that will be retried. */
export interface RetryEvent {
  /** What is being tried: `GET manifest ghcr.io/o/r:v1`. */
  what: string
  /** Tries made so far (1 after the first). */
  attempt: number
  why: string
  /** The failure, when the try threw (absent when a result asked for another try). */
  error?: Error
  delayMs: number
  /** True when the delay is the registry's `Retry-After`. */
  retryAfter: boolean
  /** Since the first try. */
  elapsedMs: number
  /** Before the step's deadline. */
  remainingMs: number
}

/** Hears what a retry loop does, for logs and counts. */
export interface RetryObserver {
  retrying(event: RetryEvent): void
  /** A try succeeded after `attempts - 1` failed ones. */
  recovered?(event: { what: string; attempts: number; elapsedMs: number }): void
}

interface RetryOptions<T> {
  what: string
  policy: RetrySchedule
  deadline: Deadline
  /** The jitter's random source (injected so tests are deterministic). */
  random: () => number
  /**
   * For loops that wait for a state rather than recover from failures (a tag that must show
   * our digest): a reason to try again for this result, or undefined when it is the one
   * wanted. When the policy's tries or `giveUpAt` run out, the last result is returned.
   */
  again?: (result: T) => string | undefined
  /** A time bound of the loop's own (`wait-timeout`): the last wait is cut to end there. */
  giveUpAt?: number
  observer?: RetryObserver
}

export async function retry<T>(
  run: (attempt: number) => Promise<T>,
  options: RetryOptions<T>
): Promise<T> {
  const { what, policy, deadline } = options
  const started = deadline.now()
  for (let attempt = 1; ; attempt++) {
    deadline.check(what)
    let why: string
    let error: Error | undefined
    let retryAfterMs: number | undefined
    let result: T | undefined
    try {
      result = await run(attempt)
      const reason = options.again?.(result)
      if (reason === undefined) {
        if (attempt > 1)
          options.observer?.recovered?.({
            what,
            attempts: attempt,
            elapsedMs: deadline.now() - started
          })
        return result
      }
      why = reason
    } catch (thrown) {
      const failure = classifyFailure(thrown)
      if (failure.kind === 'permanent') throw thrown
      error = thrown as Error
      why = failure.why
      retryAfterMs = failure.retryAfterMs
    }
    const giveUp = (): T => {
      if (error) throw error
      return result as T
    }
    if (policy.tries !== undefined && attempt >= policy.tries) return giveUp()
    let delayMs = retryAfterMs ?? backoffDelay(policy, attempt, options.random)
    if (options.giveUpAt !== undefined) {
      const left = options.giveUpAt - deadline.now()
      if (left <= 0) return giveUp()
      delayMs = Math.min(delayMs, left)
    }
    const remainingMs = deadline.remainingMs()
    const elapsedMs = deadline.now() - started
    if (delayMs > remainingMs) {
      const history = attempt > 1 ? ` (${attempt} tries over ${formatSeconds(elapsedMs)})` : ''
      throw new DeadlineError(
        `${what}: ${why}${history}; the next try would be in ${formatSeconds(delayMs)}${retryAfterMs !== undefined ? ' (Retry-After)' : ''}, past the step's timeout (${formatSeconds(Math.max(0, remainingMs))} left)`,
        { cause: error }
      )
    }
    options.observer?.retrying({
      what,
      attempt,
      why,
      error,
      delayMs,
      retryAfter: retryAfterMs !== undefined,
      elapsedMs,
      remainingMs
    })
    await deadline.wait(delayMs, `${what} (${why})`)
  }
}
