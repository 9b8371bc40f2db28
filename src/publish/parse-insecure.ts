/**
 * `insecure-registries` (docs/design.md §2): the hosts that may be reached over plain HTTP.
 * An entry that can never equal a registry host is refused, not left to silently do nothing.
 */
import { InputError } from './errors.js'
import { splitList } from './input-text.js'

/**
 * A host name (dot-separated labels, none starting or ending with '-') or a bracketed IPv6
 * address, with an optional port. The looser `[a-z0-9.-]+` let `-foo`, `...` and `a..b`
 * through, which can never equal a registry host, so the entry silently did nothing.
 */
const INSECURE_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/

export function parseInsecure(raw: string | undefined): string[] {
  return splitList(raw).map((host) => {
    const h = host
      .replace(/^https?:\/\//i, '')
      .replace(/\/+$/, '')
      .toLowerCase()
    const match = INSECURE_HOST.exec(h)
    // A port outside 1..65535 (`host:99999`) can never match a registry either.
    if (!match || (match[1] !== undefined && (Number(match[1]) < 1 || Number(match[1]) > 65535))) {
      throw new InputError(
        'insecure-registries',
        `'${host}' is not a host or host:port (e.g. registry.local:5000 or 10.0.0.5)`
      )
    }
    return h
  })
}
