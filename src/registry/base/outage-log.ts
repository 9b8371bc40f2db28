/**
 * A readable log through a registry outage (docs/design.md §3 "Retry"): when requests retry until
 * the deadline, one line per retry would bury the log under hundreds of lines in a long
 * outage. Instead, per registry: one line when retrying starts, a line at growing intervals
 * with the time elapsed and the tries failed so far, one line when it answers again. Every
 * failed try is still there under debug.
 */
import type { Clock } from './clock.js'
import { formatSeconds } from './deadline.js'
import type { Logger } from './logger.js'
import type { RetryEvent, RetryObserver } from './retry.js'

/**
 * When, after retrying starts, a "still failing" line is written: often enough early that
 * the log shows the step is alive, then rarer (a 10 min `timeout` gives at most 6 lines).
 * After the last one, every 5 minutes.
 */
const PROGRESS_LINES_AFTER_MS: readonly number[] = [10_000, 30_000, 60_000, 120_000, 300_000]
const PROGRESS_LINES_THEN_EVERY_MS = 300_000

interface Episode {
  since: number
  failures: number
  /** Index into PROGRESS_LINES_AFTER_MS of the next progress line, or beyond. */
  next: number
}

export class OutageLog {
  private readonly episodes = new Map<string, Episode>()

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock
  ) {}

  /** The observer for one retry loop against `service` (a registry, or a token service). */
  observer(service: string, onRetry: () => void = () => undefined): RetryObserver {
    return {
      retrying: (event) => {
        onRetry()
        this.failed(service, event)
      },
      recovered: (event) => this.recovered(service, event.what)
    }
  }

  private failed(service: string, event: RetryEvent): void {
    const wait = `${formatSeconds(event.delayMs)}${event.retryAfter ? ' (Retry-After)' : ''}`
    this.logger.debug(
      `${event.what}: ${event.why}; try ${event.attempt} failed, next in ${wait}${event.error ? `: ${event.error.message}` : ''}`
    )
    const now = this.clock.now()
    const left = formatSeconds(Math.max(0, event.remainingMs))
    let episode = this.episodes.get(service)
    if (!episode) {
      episode = { since: now, failures: 0, next: 0 }
      this.episodes.set(service, episode)
      episode.failures++
      this.logger.info(
        `${event.what}: ${event.why}; retrying until it answers or the step's timeout (${left} left), next try in ${wait}`
      )
      return
    }
    episode.failures++
    const elapsed = now - episode.since
    if (elapsed < progressAt(episode.next)) return
    while (elapsed >= progressAt(episode.next)) episode.next++
    this.logger.info(
      `${service}: still failing after ${formatSeconds(elapsed)}, ${episode.failures} failed tries (last: ${event.why} on ${event.what}); retrying until the step's timeout (${left} left)`
    )
  }

  private recovered(service: string, what: string): void {
    const episode = this.episodes.get(service)
    if (!episode) return
    this.episodes.delete(service)
    this.logger.info(
      `${service}: answering again after ${formatSeconds(this.clock.now() - episode.since)} and ${episode.failures} failed ${episode.failures === 1 ? 'try' : 'tries'} (${what} succeeded)`
    )
  }
}

function progressAt(index: number): number {
  const last = PROGRESS_LINES_AFTER_MS.length - 1
  return index <= last
    ? PROGRESS_LINES_AFTER_MS[index]
    : PROGRESS_LINES_AFTER_MS[last] + (index - last) * PROGRESS_LINES_THEN_EVERY_MS
}
