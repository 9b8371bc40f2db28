/**
 * Docker Hub's pull limit as its manifest answers state it (docs/registry-quirks.md #37;
 * docker/docs content/manuals/docker-hub/usage/pulls.md): `ratelimit-limit: 100;w=21600` and
 * `ratelimit-remaining: 76;w=21600`, the window in seconds. A manifest GET counts as a pull, a
 * HEAD does not; no headers means no limit. Registry bytes are untrusted: only whole numbers
 * are taken.
 */
import type { IncomingHttpHeaders } from 'node:http'

/** What the registry said is left of its pull limit. */
export interface RateLimit {
  /** Pulls allowed per window. */
  limit: number
  /** Pulls left in the window (the lowest value seen during the run). */
  remaining: number
  /** The window in seconds, when the registry said (`w=`). */
  windowSeconds?: number
}

/** `100;w=21600` → { count: 100, window: 21600 }; anything else → undefined. */
function parseQuota(
  value: string | string[] | undefined
): { count: number; window?: number } | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined) return undefined
  const match = /^\s*(\d{1,9})\s*(?:;\s*w\s*=\s*(\d{1,9})\s*)?(?:;.*)?$/.exec(text)
  if (!match) return undefined
  const count = Number(match[1])
  return match[2] === undefined ? { count } : { count, window: Number(match[2]) }
}

/** The limit stated by one response's headers, or undefined when it states none. */
export function parseRateLimit(headers: IncomingHttpHeaders): RateLimit | undefined {
  const limit = parseQuota(headers['ratelimit-limit'])
  const remaining = parseQuota(headers['ratelimit-remaining'])
  if (!limit || !remaining) return undefined
  const window = remaining.window ?? limit.window
  return {
    limit: limit.count,
    remaining: remaining.count,
    ...(window === undefined ? {} : { windowSeconds: window })
  }
}

/**
 * The lowest `remaining` seen per registry during a run: answers arrive out of order when
 * reads run concurrently, and the lowest is what is left after them all.
 */
export class RateLimitTracker {
  private readonly seen = new Map<string, RateLimit>()

  observe(registry: string, headers: IncomingHttpHeaders): void {
    const stated = parseRateLimit(headers)
    if (!stated) return
    const before = this.seen.get(registry)
    if (!before || stated.remaining <= before.remaining) this.seen.set(registry, stated)
  }

  /** What `registry` said last about its limit, if it ever did. */
  get(registry: string): RateLimit | undefined {
    return this.seen.get(registry)
  }
}
