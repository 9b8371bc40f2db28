/**
 * The bottom layer of retries: the deadline (src/registry/base/deadline.ts), the one retry loop
 * (retry.ts), the one failure classifier (failure.ts) and the outage log (outage-log.ts).
 * Time is fake: sleeps move the clock and return at once.
 */
import { describe, it, expect } from '@jest/globals'
import { Deadline } from '../../src/registry/base/deadline.js'
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError
} from '../../src/registry/base/errors.js'
import { RestartRequested, classifyFailure } from '../../src/registry/base/failure.js'
import { OutageLog } from '../../src/registry/base/outage-log.js'
import { retry, type RetryEvent } from '../../src/registry/base/retry.js'
import type { RetrySchedule } from '../../src/registry/base/retry-policy.js'
import { fakeTime, recordingLogger, START } from './support/fakes.js'

const CONTEXT = { operation: 'GET manifest', target: 'r.example/o/r:v1' }
const status = (code: number, retryAfterMs?: number) =>
  new RegistryError(CONTEXT, code, [], { retryAfterMs })
const network = (code: string) => new TransportError(CONTEXT, code, `boom (${code})`)

const SCHEDULE: RetrySchedule = { baseMs: 100, capMs: 1_000, jitter: 'full' }

function setup(deadlineInMs = 60_000, signal?: AbortSignal) {
  const time = fakeTime()
  const deadline = new Deadline(START + deadlineInMs, time.clock, time.sleep, signal)
  return { time, deadline }
}

describe('classifyFailure', () => {
  it.each([
    [status(408), 'retryable', '408 Request Timeout'],
    [status(429), 'retryable', '429 Too Many Requests'],
    [status(500), 'may-have-landed', '500 Internal Server Error'],
    [status(502), 'may-have-landed', '502 Bad Gateway'],
    [status(503), 'may-have-landed', '503 Service Unavailable'],
    [status(504), 'may-have-landed', '504 Gateway Timeout'],
    [status(599), 'may-have-landed', '599'],
    [status(501), 'permanent', '501'],
    [status(505), 'permanent', '505'],
    [status(400), 'permanent', '400'],
    [status(401), 'permanent', '401'],
    [status(403), 'permanent', '403'],
    [status(404), 'permanent', '404'],
    [network('ECONNRESET'), 'may-have-landed', 'network error ECONNRESET'],
    [network('UND_ERR_SOCKET'), 'may-have-landed', 'network error UND_ERR_SOCKET'],
    [network('TIMEOUT'), 'may-have-landed', 'timed out'],
    [network('ECONNREFUSED'), 'retryable', 'network error ECONNREFUSED'],
    [network('UNREACHABLE'), 'permanent', 'network error UNREACHABLE'],
    [network('TOO_LARGE'), 'permanent', 'network error TOO_LARGE'],
    [network('REDIRECT'), 'permanent', 'network error REDIRECT'],
    [network('FOREIGN_CHALLENGE'), 'permanent', 'network error FOREIGN_CHALLENGE'],
    [network('UND_ERR_CLOSED'), 'permanent', 'network error UND_ERR_CLOSED'],
    [network('UND_ERR_DESTROYED'), 'permanent', 'network error UND_ERR_DESTROYED'],
    [network('CERT_HAS_EXPIRED'), 'permanent', 'network error CERT_HAS_EXPIRED'],
    [
      network('ERR_SSL_WRONG_VERSION_NUMBER'),
      'permanent',
      'network error ERR_SSL_WRONG_VERSION_NUMBER'
    ],
    [new IntegrityError('DIGEST_MISMATCH', 'x'), 'permanent', 'IntegrityError'],
    [new DeadlineError('x'), 'permanent', 'DeadlineError'],
    [new CancelledError('x'), 'permanent', 'CancelledError'],
    [new TypeError('x'), 'permanent', 'TypeError'],
    [new RestartRequested('a fresh session', status(404)), 'retryable', 'a fresh session']
  ])('%s is %s (%s)', (error, kind, why) => {
    expect(classifyFailure(error)).toMatchObject({ kind, why })
  })

  it("carries the registry's Retry-After", () => {
    expect(classifyFailure(status(503, 7_000)).retryAfterMs).toBe(7_000)
  })
})

describe('Deadline', () => {
  it('waits when the wait fits, and fails without sleeping when it would pass the deadline', async () => {
    const { time, deadline } = setup(1_000)
    await deadline.wait(400, 'polling')
    expect(deadline.remainingMs()).toBe(600)
    await expect(deadline.wait(700, 'polling')).rejects.toThrow(
      "polling: waiting 0.7s would pass the step's timeout (0.6s left)"
    )
    expect(time.sleeps).toEqual([400])
  })

  it('check() says cancelled before it says the deadline passed', () => {
    const controller = new AbortController()
    const { time, deadline } = setup(1_000, controller.signal)
    expect(() => deadline.check('x')).not.toThrow()
    time.advance(1_000)
    expect(() => deadline.check('x')).toThrow(DeadlineError)
    controller.abort()
    expect(() => deadline.check('x')).toThrow(CancelledError)
  })
})

describe('retry', () => {
  it('retries transient failures with full-jitter backoff until one succeeds', async () => {
    const { time, deadline } = setup()
    const failures = [status(503), network('ECONNRESET'), status(429)]
    const events: RetryEvent[] = []
    const result = await retry(
      async (attempt) => {
        const failure = failures.shift()
        if (failure) throw failure
        return `ok on try ${attempt}`
      },
      {
        what: 'GET x',
        policy: SCHEDULE,
        deadline,
        random: () => 0.5,
        observer: { retrying: (e) => events.push(e) }
      }
    )
    expect(result).toBe('ok on try 4')
    // Half of the ceilings 100, 200, 400 ms.
    expect(time.sleeps).toEqual([50, 100, 200])
    expect(events.map((e) => e.why)).toEqual([
      '503 Service Unavailable',
      'network error ECONNRESET',
      '429 Too Many Requests'
    ])
  })

  it('honours Retry-After over the computed backoff, even above the cap', async () => {
    const { time, deadline } = setup()
    let n = 0
    await retry(
      async () => {
        if (++n === 1) throw status(429, 5_000)
        return 'ok'
      },
      { what: 'GET x', policy: SCHEDULE, deadline, random: () => 0.5 }
    )
    expect(time.sleeps).toEqual([5_000])
  })

  it('has no count by default: it goes on until the deadline, then says what kept failing', async () => {
    const { time, deadline } = setup(30_000)
    let tries = 0
    const error = await retry(
      async () => {
        tries++
        throw status(502)
      },
      { what: 'PUT x', policy: SCHEDULE, deadline, random: () => 0.999 }
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^PUT x: 502 Bad Gateway \\(${tries} tries over \\d+s\\); the next try would be in 1s, past the step's timeout \\(0\\.\\ds left\\)$`
      )
    )
    expect((error as Error).cause).toBeInstanceOf(RegistryError)
    expect(tries).toBeGreaterThan(30)
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000)
  })

  it('does not retry a permanent failure', async () => {
    const { time, deadline } = setup()
    let tries = 0
    const refused = status(403)
    await expect(
      retry(
        async () => {
          tries++
          throw refused
        },
        { what: 'GET x', policy: SCHEDULE, deadline, random: () => 0.5 }
      )
    ).rejects.toBe(refused)
    expect(tries).toBe(1)
    expect(time.sleeps).toEqual([])
  })

  it('with a count of tries, gives the last failure back when they are used up', async () => {
    const { deadline } = setup()
    let tries = 0
    const last = status(500)
    await expect(
      retry(
        async () => {
          tries++
          throw last
        },
        { what: 'GET x', policy: { ...SCHEDULE, tries: 3 }, deadline, random: () => 0.5 }
      )
    ).rejects.toBe(last)
    expect(tries).toBe(3)
  })

  it('waits for a state with `again`, and returns the last result when the tries run out', async () => {
    const { time, deadline } = setup()
    const reads = ['old', 'old', 'new']
    const waiting = (tries: number) =>
      retry(async () => reads.shift() ?? 'old', {
        what: 'confirming x',
        policy: { baseMs: 250, capMs: 4_000, jitter: 'none', tries },
        deadline,
        random: () => {
          throw new Error('no jitter: random is not used')
        },
        again: (read) => (read === 'new' ? undefined : 'not yet')
      })
    expect(await waiting(6)).toBe('new')
    expect(time.sleeps).toEqual([250, 500])
    expect(await waiting(2)).toBe('old')
  })

  it('stops at its own bound (giveUpAt), cutting the last wait to end there', async () => {
    const { time, deadline } = setup()
    let reads = 0
    const result = await retry(async () => ++reads, {
      what: 'waiting',
      policy: { baseMs: 1_000, capMs: 5_000, jitter: 'none' },
      deadline,
      random: Math.random,
      giveUpAt: START + 4_500,
      again: () => 'missing'
    })
    expect(time.sleeps).toEqual([1_000, 2_000, 1_500])
    expect(result).toBe(4)
  })

  it('ends a wait at once when the step is cancelled', async () => {
    const controller = new AbortController()
    const { time, deadline } = setup(60_000, controller.signal)
    time.onSleep = () => controller.abort()
    await expect(
      retry(
        async () => {
          throw status(503)
        },
        { what: 'GET x', policy: SCHEDULE, deadline, random: () => 0.5 }
      )
    ).rejects.toThrow(CancelledError)
    expect(time.sleeps).toHaveLength(1)
  })

  it('tells the observer of the recovery after failed tries, and not after a first success', async () => {
    const { deadline } = setup()
    const recovered: number[] = []
    const observer = {
      retrying: () => undefined,
      recovered: (e: { attempts: number }) => recovered.push(e.attempts)
    }
    await retry(async () => 'ok', {
      what: 'x',
      policy: SCHEDULE,
      deadline,
      random: () => 0.5,
      observer
    })
    let n = 0
    await retry(
      async () => {
        if (++n < 3) throw status(503)
        return 'ok'
      },
      { what: 'x', policy: SCHEDULE, deadline, random: () => 0.5, observer }
    )
    expect(recovered).toEqual([3])
  })
})

describe('OutageLog', () => {
  it('one line per registry when retrying starts, however many requests fail, and one when it answers', () => {
    const time = fakeTime()
    const logger = recordingLogger()
    const log = new OutageLog(logger, time.clock)
    const event = (what: string, attempt: number): RetryEvent => ({
      what,
      attempt,
      why: '503 Service Unavailable',
      delayMs: 1_000,
      retryAfter: true,
      elapsedMs: 0,
      remainingMs: 600_000
    })
    const a = log.observer('r.example')
    const b = log.observer('r.example')
    a.retrying(event('GET a', 1))
    b.retrying(event('GET b', 1))
    time.advance(12_000)
    a.retrying(event('GET a', 2))
    time.advance(1_000)
    b.retrying(event('GET b', 2))
    a.recovered!({ what: 'GET a', attempts: 3, elapsedMs: 13_000 })
    b.recovered!({ what: 'GET b', attempts: 3, elapsedMs: 13_000 })
    expect(logger.at('info')).toEqual([
      "GET a: 503 Service Unavailable; retrying until it answers or the step's timeout (600s left), next try in 1s (Retry-After)",
      "r.example: still failing after 12s, 3 failed tries (last: 503 Service Unavailable on GET a); retrying until the step's timeout (600s left)",
      'r.example: answering again after 13s and 4 failed tries (GET a succeeded)'
    ])
    expect(logger.at('debug')).toHaveLength(4)
  })
})
