/**
 * A small seeded pseudo-random generator for reproducible fault injection: mulberry32
 * (Tommy Ettinger's 32-bit state generator). Not for anything that needs real randomness.
 */

/** A seeded generator; the same seed always gives the same sequence. */
export interface Prng {
  /** The seed it was made with (as a 32-bit unsigned integer). */
  readonly seed: number
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** An element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T
}

/** The raw mulberry32 step function for `seed`: each call returns a float in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A {@link Prng} seeded with `seed` (any number; it is reduced to 32 bits). */
export function createPrng(seed: number): Prng {
  const step = mulberry32(seed)
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`prng.int: bad bound ${n}`)
    return Math.floor(step() * n)
  }
  return {
    seed: seed >>> 0,
    next: step,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('prng.pick: empty array')
      return items[int(items.length)] as T
    }
  }
}
