/**
 * The one per-request time bound of the transport, for buffered answers, streamed bodies and
 * uploads alike: it fires after `idleMs` without activity, and never later than the step's
 * deadline (`remaining`). Untouched it bounds a whole exchange; touched on every chunk it
 * bounds inactivity, so a large blob may take long but a stall is still cut off
 * (docs/design.md §3 "Retry": everything is bounded by `timeout`).
 */
export class RequestTimer {
  private timer: NodeJS.Timeout | undefined
  private armedMs = 0
  /** The bound that ran out (`idleMs`, or less when it was the deadline), once it has. */
  expired: { afterMs: number; deadline: boolean } | undefined

  constructor(
    private readonly idleMs: number,
    private readonly remaining: () => number,
    /** Called once the bound runs out; `deadline` when it was the step's deadline. */
    private readonly fire: (deadline: boolean) => void
  ) {
    this.touch()
  }

  /** Activity: start the bound again. */
  touch(): void {
    const ms = Math.max(1, Math.min(this.idleMs, this.remaining()))
    if (this.timer && ms === this.armedMs) {
      this.timer.refresh()
      return
    }
    clearTimeout(this.timer)
    this.armedMs = ms
    this.timer = setTimeout(() => {
      this.expired = { afterMs: ms, deadline: ms < this.idleMs }
      this.fire(ms < this.idleMs)
    }, ms)
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}
