/**
 * The step's cancellation, heard through one listener however many requests and waits are in
 * flight. Every request and every wait needs to hear a cancellation; adding each one's own
 * `abort` listener to the step's single AbortSignal makes Node warn
 * `MaxListenersExceededWarning` as soon as more than ten are in flight at once (Node.js
 * "events.defaultMaxListeners", which EventTarget signals honour), although nothing leaks.
 * Here the signal gets one listener and fans out to a set that each request joins and leaves.
 */
export class Cancellation {
  private readonly listeners = new Set<() => void>()

  constructor(readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.fire(), { once: true })
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false
  }

  /** Listeners waiting now (for tests and for the leak check). */
  get size(): number {
    return this.listeners.size
  }

  /**
   * Call `listener` once when the step is cancelled; returns the function that forgets it.
   * Like an AbortSignal listener, it is not called when the step was cancelled already:
   * callers check `aborted` before they start.
   */
  subscribe(listener: () => void): () => void {
    if (this.aborted) return () => undefined
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A signal of its own that aborts with the step (for a sleep); `dispose` forgets it. */
  linkedSignal(): { signal: AbortSignal | undefined; dispose: () => void } {
    if (!this.signal) return { signal: undefined, dispose: () => undefined }
    const controller = new AbortController()
    if (this.aborted) controller.abort(this.signal.reason)
    const forget = this.subscribe(() => controller.abort(this.signal?.reason))
    return { signal: controller.signal, dispose: forget }
  }

  private fire(): void {
    const listeners = [...this.listeners]
    this.listeners.clear()
    for (const listener of listeners) listener()
  }
}
