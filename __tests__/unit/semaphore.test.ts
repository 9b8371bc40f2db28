/** src/registry/base/semaphore.ts: the per-registry concurrency bound. */
import { describe, it, expect } from '@jest/globals'
import { Semaphore, mapBounded } from '../../src/registry/base/semaphore.js'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Let every queued promise reaction run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('Semaphore', () => {
  it('never runs more than limit tasks, and starts queued ones as slots free up', async () => {
    const semaphore = new Semaphore(2)
    const gates = Array.from({ length: 5 }, () => deferred())
    const started: number[] = []
    let active = 0
    let peak = 0
    const runs = gates.map((gate, i) =>
      semaphore.run(async () => {
        started.push(i)
        active++
        peak = Math.max(peak, active)
        await gate.promise
        active--
        return i * 10
      })
    )
    await settle()
    expect(started).toEqual([0, 1])
    gates[1].resolve()
    await settle()
    expect(started).toEqual([0, 1, 2])
    gates[0].resolve()
    gates[2].resolve()
    await settle()
    expect(started).toEqual([0, 1, 2, 3, 4])
    gates[3].resolve()
    gates[4].resolve()
    expect(await Promise.all(runs)).toEqual([0, 10, 20, 30, 40])
    expect(peak).toBe(2)
  })

  it('frees the slot when a task fails', async () => {
    const semaphore = new Semaphore(1)
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom'
    )
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next')
  })

  it('rejects a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError)
    expect(() => new Semaphore(Number.NaN)).toThrow(RangeError)
  })
})

describe('mapBounded', () => {
  it('keeps input order even when items finish out of order, with at most limit in flight', async () => {
    const gates = Array.from({ length: 6 }, () => deferred())
    let active = 0
    let peak = 0
    const result = mapBounded(['a', 'b', 'c', 'd', 'e', 'f'], 3, async (item, index) => {
      active++
      peak = Math.max(peak, active)
      await gates[index].promise
      active--
      return `${item}${index}`
    })
    await settle()
    expect(active).toBe(3)
    // Finish in reverse order.
    for (let i = gates.length - 1; i >= 0; i--) {
      gates[i].resolve()
      await settle()
    }
    expect(await result).toEqual(['a0', 'b1', 'c2', 'd3', 'e4', 'f5'])
    expect(peak).toBe(3)
  })

  it('gives an empty list for no items', async () => {
    await expect(mapBounded([], 2, async () => 1)).resolves.toEqual([])
  })
})
