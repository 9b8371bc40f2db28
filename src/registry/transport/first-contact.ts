/**
 * The first request to a registry goes alone: until it is answered we do not know the
 * registry's auth scheme, and concurrent requests would all be refused with its 401
 * (docs/design.md §5: one token per scope set). The others wait until its first try is done.
 */
export class FirstContact {
  private readonly contacted = new Map<string, Promise<void>>()
  private readonly releases = new Map<string, () => void>()

  /**
   * Run `fn` once the registry's first request has taught us its scheme. The first caller
   * can fail before its first try (cancelled, deadline passed); the callers waiting on it
   * must then go on (and fail or proceed) rather than hang forever, hence the release here.
   */
  async after<T>(registry: string, fn: () => Promise<T>): Promise<T> {
    await this.wait(registry)
    try {
      return await fn()
    } finally {
      this.release(registry)
    }
  }

  /** Let the callers waiting on a registry's first request go (idempotent). */
  release(registry: string): void {
    this.releases.get(registry)?.()
    this.releases.delete(registry)
  }

  private async wait(registry: string): Promise<void> {
    const pending = this.contacted.get(registry)
    if (pending) return pending
    // This caller is first: the others wait until its first try has taught us the scheme.
    let release!: () => void
    this.contacted.set(registry, new Promise<void>((resolve) => (release = resolve)))
    this.releases.set(registry, release)
  }
}
