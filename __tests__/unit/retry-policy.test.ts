/** src/registry/base/retry-policy.ts: docs/design.md §3 "Retry" as data. */
import { describe, it, expect } from '@jest/globals'
import { isRetryableStatus } from '../../src/registry/base/failure.js'
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  parseRetryAfter,
  type RetryPolicy
} from '../../src/registry/base/retry-policy.js'

const policy: RetryPolicy = {
  baseMs: 500,
  capMs: 8_000,
  jitter: 'full',
  requestTimeoutMs: 30_000
}

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt and stops at the cap (jitter none gives the ceiling)', () => {
    const none = { ...policy, jitter: 'none' as const }
    const never = () => {
      throw new Error('random must not be called without jitter')
    }
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(none, n, never))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000
    ])
  })

  it('is full jitter: random 0 gives 0, random just under 1 stays under the ceiling', () => {
    for (const [attempt, ceiling] of [
      [1, 500],
      [2, 1_000],
      [3, 2_000],
      [5, 8_000],
      [9, 8_000]
    ]) {
      expect(backoffDelay(policy, attempt, () => 0)).toBe(0)
      const high = backoffDelay(policy, attempt, () => 0.999)
      expect(high).toBeLessThan(ceiling)
      expect(high).toBe(Math.floor(0.999 * ceiling))
    }
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(500)
  })

  it('treats attempt 0 like attempt 1', () => {
    expect(backoffDelay({ ...policy, jitter: 'none' }, 0, Math.random)).toBe(500)
  })

  // The count of tries is gone: requests are retried until the step's deadline.
  it('has no count of tries by default, and ceilings that reach their cap within a minute', () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ baseMs: 500, capMs: 10_000, jitter: 'full' })
    expect(DEFAULT_RETRY_POLICY.tries).toBeUndefined()
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      backoffDelay({ ...DEFAULT_RETRY_POLICY, jitter: 'none' }, n, Math.random)
    )
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
  })
})

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504, 599])('%i is retried', (status) => {
    expect(isRetryableStatus(status)).toBe(true)
  })

  it.each([200, 201, 307, 400, 401, 403, 404, 409, 413, 501, 505])(
    '%i is not retried',
    (status) => {
      expect(isRetryableStatus(status)).toBe(false)
    }
  )
})

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000)
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000)
    expect(parseRetryAfter('0', now)).toBe(0)
  })

  it('reads an HTTP-date relative to the injected now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT', now)).toBe(120_000)
  })

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
  })

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('Wed, 99 Foo 2015', now)).toBeUndefined()
    // Not delay-seconds (1*DIGIT) and not a date, though V8's Date.parse reads them as 2001.
    expect(parseRetryAfter('-1', now)).toBeUndefined()
    expect(parseRetryAfter('1.5', now)).toBeUndefined()
  })
})
