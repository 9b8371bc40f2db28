/**
 * The step's deadline (the `timeout` input) and its cancellation, as one value shared by the
 * transport and the engine: how much time is left, and a wait that never runs past the
 * deadline and ends at once when the step is cancelled (docs/design.md §3 "Retry": everything is
 * bounded by `timeout`). Time and sleep are injected, so tests never wait for real.
 */
import { SYSTEM_CLOCK, realSleep, type Clock, type Sleep } from './clock.js'
import { CancelledError, DeadlineError } from './errors.js'
import { Cancellation } from './cancellation.js'

export class Deadline {
  /** The cancellation heard through one listener on `signal`, however many wait at once. */
  readonly cancellation: Cancellation

  constructor(
    /** Absolute time (ms since the epoch) by which everything must be done. */
    readonly at: number = Number.POSITIVE_INFINITY,
    readonly clock: Clock = SYSTEM_CLOCK,
    private readonly sleep: Sleep = realSleep,
    /** Aborted when the step is cancelled. */
    readonly signal?: AbortSignal
  ) {
    this.cancellation = new Cancellation(signal)
  }

  now(): number {
    return this.clock.now()
  }

  /** Milliseconds left (negative once passed). */
  remainingMs(): number {
    return this.at - this.clock.now()
  }

  /** Throws CancelledError once cancelled, DeadlineError once the deadline has passed. */
  check(what: string): void {
    if (this.signal?.aborted) throw new CancelledError(`${what}: cancelled`)
    if (this.remainingMs() <= 0) throw new DeadlineError(`${what}: the step's timeout ran out`)
  }

  /**
   * Wait `ms`, cut short by cancellation (CancelledError). A wait that would pass the
   * deadline fails at once with DeadlineError rather than sleeping into a certain failure.
   */
  async wait(ms: number, what: string): Promise<void> {
    const remaining = this.remainingMs()
    if (ms > remaining) {
      throw new DeadlineError(
        `${what}: waiting ${formatSeconds(ms)} would pass the step's timeout (${formatSeconds(Math.max(0, remaining))} left)`
      )
    }
    // A signal of the wait's own, linked to the step's: concurrent waits add no listener to it.
    const link = this.cancellation.linkedSignal()
    try {
      await this.sleep(ms, link.signal)
    } finally {
      link.dispose()
    }
  }
}

/** `1.5s`, `42s`, `3600s`: seconds, one decimal below ten. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000
  return `${seconds >= 10 ? Math.round(seconds) : Math.round(seconds * 10) / 10}s`
}
