/**
 * Requests in flight per registry (docs/design.md §3 "Resolve": concurrently under a
 * per-registry bound). A streamed answer keeps its slot until its body is done, so that
 * streams count against the bound as well.
 */
import { Semaphore } from '../base/semaphore.js'
import type { StreamResponse } from './request.js'

export class RegistrySlots {
  private readonly gates = new Map<string, Semaphore>()

  constructor(private readonly concurrency: number) {}

  /** Run `fn` in one of `key`'s slots. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.gate(key).run(fn)
  }

  /**
   * Open a streamed answer in one of `key`'s slots, held until its body is closed (read to the
   * end or destroyed), not only until the headers arrive.
   */
  hold(key: string, open: () => Promise<StreamResponse>): Promise<StreamResponse> {
    return new Promise<StreamResponse>((resolve, reject) => {
      void this.gate(key).run(async () => {
        let opened: StreamResponse
        try {
          opened = await open()
        } catch (error) {
          reject(error)
          return
        }
        const done = new Promise<void>((release) => opened.body.once('close', release))
        resolve(opened)
        await done
      })
    })
  }

  private gate(key: string): Semaphore {
    let gate = this.gates.get(key)
    if (!gate) {
      gate = new Semaphore(this.concurrency)
      this.gates.set(key, gate)
    }
    return gate
  }
}
