/**
 * src/registry/base/cancellation.ts and its use by the transport: the step's AbortSignal has one
 * listener however many requests are in flight (Node warns MaxListenersExceededWarning past
 * ten), and a cancellation still reaches every one of them.
 */
import { describe, expect, it } from '@jest/globals'
import { getEventListeners } from 'node:events'
import { Cancellation } from '../../src/registry/base/cancellation.js'
import { CancelledError } from '../../src/registry/base/errors.js'
import type { RegistryRequest } from '../../src/registry/transport/request.js'
import { harness } from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = `http://${REGISTRY}`

function get(n: number): RegistryRequest {
  return {
    registry: REGISTRY,
    method: 'GET',
    path: `/v2/a/b/manifests/t${n}`,
    scope: 'repository:a/b:pull',
    context: { operation: 'GET manifest', target: `${REGISTRY}/a/b:t${n}` },
    accept: [200, 404]
  }
}

describe('Cancellation', () => {
  it('adds one listener to the signal for any number of subscribers, and calls each once', () => {
    const controller = new AbortController()
    const cancellation = new Cancellation(controller.signal)
    const calls: number[] = []
    const forgets = Array.from({ length: 100 }, (_, i) =>
      cancellation.subscribe(() => calls.push(i))
    )
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    expect(cancellation.size).toBe(100)
    forgets[0]()
    expect(cancellation.size).toBe(99)
    controller.abort()
    controller.abort()
    expect(calls).toHaveLength(99)
    expect(new Set(calls).size).toBe(99)
    expect(calls).not.toContain(0)
    expect(cancellation.size).toBe(0)
  })

  it('does not call a subscriber that came after the cancellation (callers check aborted)', () => {
    const controller = new AbortController()
    controller.abort()
    const cancellation = new Cancellation(controller.signal)
    let called = false
    cancellation.subscribe(() => (called = true))
    expect(cancellation.aborted).toBe(true)
    expect(called).toBe(false)
    expect(cancellation.size).toBe(0)
  })

  it('gives linked signals that abort with the step and are forgotten when disposed', () => {
    const controller = new AbortController()
    const cancellation = new Cancellation(controller.signal)
    const links = Array.from({ length: 20 }, () => cancellation.linkedSignal())
    links.slice(10).forEach((l) => l.dispose())
    expect(cancellation.size).toBe(10)
    controller.abort(new Error('stop'))
    expect(links.slice(0, 10).every((l) => l.signal?.aborted)).toBe(true)
    expect(links.slice(10).some((l) => l.signal?.aborted)).toBe(false)
  })

  it('works without a signal (nothing can cancel)', () => {
    const cancellation = new Cancellation()
    expect(cancellation.aborted).toBe(false)
    expect(cancellation.linkedSignal().signal).toBeUndefined()
  })
})

describe('the transport with many requests in flight', () => {
  it('keeps one abort listener on the step signal, and cancels all of them', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal, concurrency: 64 })
    const pool = h.agent.get(REG)
    // The first request goes alone (first contact); the rest are held by the server.
    pool.intercept({ path: '/v2/a/b/manifests/t0', method: 'GET' }).reply(404, '')
    for (let n = 1; n <= 40; n++)
      pool
        .intercept({ path: `/v2/a/b/manifests/t${n}`, method: 'GET' })
        .reply(200, 'late')
        .delay(30_000)
    await h.transport.send(get(0))
    const sending = Array.from({ length: 40 }, (_, i) => h.transport.send(get(i + 1)))
    sending.forEach((p) => p.catch(() => undefined))
    for (let tick = 0; tick < 1000 && h.transport.cancellation.size < 40; tick++)
      await new Promise((resolve) => setImmediate(resolve))
    expect(h.transport.cancellation.size).toBe(40)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort()
    const outcomes = await Promise.allSettled(sending)
    expect(
      outcomes.every((o) => o.status === 'rejected' && o.reason instanceof CancelledError)
    ).toBe(true)
    expect(h.transport.cancellation.size).toBe(0)
  })
})
