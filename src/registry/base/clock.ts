/**
 * Time as a dependency: tests pass a fake clock and a sleep that returns at once, so no test
 * waits for real (docs/design.md §6).
 */
import { CancelledError } from './errors.js'

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

/** Waits `ms`, or rejects with CancelledError when the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() }

/** A real sleep that an AbortSignal cuts short. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('cancelled'))
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, ms)
    )
    const onAbort = () => {
      clearTimeout(timer)
      reject(new CancelledError('cancelled'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
