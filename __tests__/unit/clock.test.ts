/** src/registry/base/clock.ts: the real sleep, driven by Jest's fake timers (no real waiting). */
import { describe, it, expect, jest, afterEach } from '@jest/globals'
import { SYSTEM_CLOCK, realSleep } from '../../src/registry/base/clock.js'
import { CancelledError } from '../../src/registry/base/errors.js'

afterEach(() => {
  jest.useRealTimers()
})

describe('realSleep', () => {
  it('resolves after the delay', async () => {
    jest.useFakeTimers()
    let done = false
    const sleeping = realSleep(1_000).then(() => (done = true))
    await jest.advanceTimersByTimeAsync(999)
    expect(done).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    await sleeping
    expect(done).toBe(true)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(realSleep(60_000, controller.signal)).rejects.toBeInstanceOf(CancelledError)
  })

  it('rejects when the signal aborts during the wait, and clears its timer', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    const sleeping = realSleep(60_000, controller.signal)
    expect(jest.getTimerCount()).toBe(1)
    controller.abort()
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError)
    expect(jest.getTimerCount()).toBe(0)
  })
})

describe('SYSTEM_CLOCK', () => {
  it('reads Date.now', () => {
    jest.useFakeTimers({ now: 1_234_567 })
    expect(SYSTEM_CLOCK.now()).toBe(1_234_567)
  })
})
