/**
 * Fakes for the registry-layer unit tests: a clock that only moves when told, a sleep that
 * records the delay and advances that clock (no test waits for real: docs/design.md §6), a
 * recording logger, and scriptable HTTP servers on an undici MockAgent with the network off.
 */
import { MockAgent } from 'undici'
import type { Clock, Sleep } from '../../../src/registry/base/clock.js'
import { CancelledError } from '../../../src/registry/base/errors.js'
import type { Logger } from '../../../src/registry/base/logger.js'
import type { RetryPolicy } from '../../../src/registry/base/retry-policy.js'
import { Transport, type TransportOptions } from '../../../src/registry/transport/transport.js'
import type { Credentials } from '../../../src/registry/credentials/credentials.js'

/** A whole second, so HTTP-dates (second resolution) are exact offsets from it. */
export const START = Date.UTC(2025, 0, 15, 12, 0, 0)

export interface FakeTime {
  clock: Clock
  sleep: Sleep
  /** Every delay asked of `sleep`, in order. */
  sleeps: number[]
  advance(ms: number): void
  now(): number
  /** Called inside each sleep, after the clock moved (e.g. to abort a signal mid-wait). */
  onSleep?: (ms: number) => void
}

export function fakeTime(start = START): FakeTime {
  let now = start
  const time: FakeTime = {
    clock: { now: () => now },
    sleeps: [],
    sleep: async (ms, signal) => {
      time.sleeps.push(ms)
      now += ms
      time.onSleep?.(ms)
      if (signal?.aborted) throw new CancelledError('cancelled')
    },
    advance: (ms) => {
      now += ms
    },
    now: () => now
  }
  return time
}

export interface LogLine {
  level: 'debug' | 'info' | 'warning'
  message: string
}

export function recordingLogger(): Logger & {
  lines: LogLine[]
  at(level: LogLine['level']): string[]
} {
  const lines: LogLine[] = []
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warning: (message) => lines.push({ level: 'warning', message })
  }
}

/** A request as a fake server saw it. */
export interface SeenRequest {
  origin: string
  method: string
  /** Path with query. */
  path: string
  headers: Record<string, string>
  body: Buffer | undefined
  query: URLSearchParams
}

export interface Reply {
  status: number
  body?: string | Buffer | object
  headers?: Record<string, string | string[]>
}

export type Handler = (req: SeenRequest) => Reply

function normaliseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!headers) return out
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      out[String(headers[i]).toLowerCase()] = String(headers[i + 1])
  } else if (
    typeof (headers as Headers).forEach === 'function' &&
    typeof (headers as Headers).get === 'function'
  ) {
    ;(headers as Headers).forEach((value, key) => (out[key.toLowerCase()] = value))
  } else {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>))
      out[key.toLowerCase()] = String(value)
  }
  return out
}

/** A MockAgent that refuses every request it has no script for. */
export function mockAgent(): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  return agent
}

/**
 * Serve every request to `origin` with `handler`, recording it in `seen` (shared across
 * origins so tests can assert the global order of requests).
 */
export function serve(
  agent: MockAgent,
  origin: string,
  seen: SeenRequest[],
  handler: Handler
): void {
  agent
    .get(origin)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const body =
        opts.body === undefined || opts.body === null ? undefined : Buffer.from(opts.body as Buffer)
      const req: SeenRequest = {
        origin,
        method: opts.method,
        path: opts.path,
        headers: normaliseHeaders(opts.headers),
        body,
        query: new URL(opts.path, origin).searchParams
      }
      seen.push(req)
      const reply = handler(req)
      const data =
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
            ? reply.body
            : JSON.stringify(reply.body)
      return { statusCode: reply.status, data, responseOptions: { headers: reply.headers ?? {} } }
    })
    .persist()
}

/** A policy with small, distinct ceilings so delays are easy to check. */
export const TEST_POLICY: RetryPolicy = {
  baseMs: 100,
  capMs: 1_000,
  jitter: 'full',
  requestTimeoutMs: 30_000
}

export const USER: Credentials = {
  username: 'robot',
  password: 's3cret-Pa55word',
  source: 'the username/password inputs'
}

export interface Harness {
  agent: MockAgent
  time: FakeTime
  logger: ReturnType<typeof recordingLogger>
  transport: Transport
  seen: SeenRequest[]
}

/** A transport on a MockAgent with fake time, a recording logger and a deadline 10 min away. */
export function harness(options: Partial<TransportOptions> = {}): Harness {
  const agent = mockAgent()
  const time = fakeTime()
  const logger = recordingLogger()
  const transport = new Transport({
    dispatcher: agent,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    logger,
    policy: TEST_POLICY,
    deadline: START + 600_000,
    ...options
  })
  return { agent, time, logger, transport, seen: [] }
}

export function basicOf(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
}
