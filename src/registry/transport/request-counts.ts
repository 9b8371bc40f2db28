/**
 * Requests sent, by `METHOD kind` (`GET manifest`, `PUT upload`, `GET token`): what the
 * benchmark's request table and the tests count (docs/design.md §7). The kind is read from
 * the distribution-spec path (end-2 to end-11).
 */
export class RequestCounts {
  readonly byKind = new Map<string, number>()

  /** A registry request (manifests, blobs, uploads, the rest). */
  request(method: string, path: string): void {
    const kind = /\/manifests\//.test(path)
      ? 'manifest'
      : /\/blobs\/uploads/.test(path)
        ? 'upload'
        : /\/blobs\//.test(path)
          ? 'blob'
          : 'other'
    this.add(`${method} ${kind}`)
  }

  /** A request to a token realm. */
  token(method: string): void {
    this.add(`${method} token`)
  }

  private add(key: string): void {
    this.byKind.set(key, (this.byKind.get(key) ?? 0) + 1)
  }
}
