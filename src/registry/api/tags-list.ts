/**
 * Listing a repository's tags (distribution-spec end-8a/b, docs/registry-protocol.md B.4), for
 * discovery: follow `Link: <…>; rel="next"` (RFC 8288) resolved against the request URL and
 * used verbatim, with a bound on the number of pages. Registries differ: distribution 2.8
 * ignores `n` and `last` and returns every tag in readdir order; GHCR pages at 100; Quay at
 * 50 with an opaque `next_page`. So the result is deduplicated and sorted here, never trusted
 * to be either, and a listing is never read as proof that a tag is missing.
 */
import { isTagName } from '../../oci/field-grammar.js'
import {
  IntegrityError,
  RegistryError,
  TransportError,
  isStatus,
  parseErrorBody,
  type RequestContext
} from '../base/errors.js'
import type { RegistryResponse } from '../transport/request.js'
import type { Transport } from '../transport/transport.js'
import { nextLink } from './link-header.js'

export interface ListTagsOptions {
  /** `n` of the first request (default 1000). Registries may ignore it. */
  pageSize?: number
  /** Requests at most (default 20); `truncated` says when more remained. */
  maxPages?: number
  /** Tags kept at most (default 100,000); `truncated` says when more remained. */
  maxTags?: number
  /** Bytes of one page at most (default 4 MiB); a larger page ends the listing, truncated. */
  maxPageBytes?: number
}

export interface TagListing {
  /** Every tag seen, without duplicates, in code-unit (ASCIIbetical) order. */
  tags: string[]
  /** Requests made. */
  pages: number
  /** True when a bound stopped the listing while the registry offered more. */
  truncated: boolean
  /** Why, when a bound other than the page count stopped it (tag count, page size). */
  truncatedWhy?: string
  /** Names in the listing that are not tag names (distribution-spec grammar), dropped. */
  invalid?: number
}

const DEFAULT_TAGS_PAGE_SIZE = 1000
const DEFAULT_TAGS_MAX_PAGES = 20
/**
 * Far beyond any release's repository, small enough that discovery stays a moment's work: a
 * registry that ignores `n` may otherwise send a huge page per request (docs/registry-quirks.md).
 */
const DEFAULT_TAGS_MAX = 100_000
/** 100,000 tags of 40 bytes each. */
const DEFAULT_TAGS_MAX_PAGE_BYTES = 4 * 1024 * 1024
/** The page size every registry of docs/registry-quirks.md takes (Quay's bound, the lowest). */
const SAFE_TAGS_PAGE_SIZE = 100

/** Where listTags sends its requests. */
interface TagsTarget {
  transport: Transport
  registry: string
  repository: string
  scope: string | readonly string[]
}

/**
 * List a repository's tags. A 404 of an unknown repository (NAME_UNKNOWN, or no error code)
 * on the first page is an empty list.
 *
 * After a page without a `Link`: when it is full (at least `n` tags), the registry may page
 * the older way, by `last` (the spec allows a full page without a Link), so the next request
 * asks for `last=<greatest tag so far>`; a page that brings no new tag ends the listing (a
 * registry that ignores `last` answers the same page again, and distribution 2.8, which
 * ignores `n` too, costs one extra request only when it has at least `n` tags).
 */
export async function listTags(
  target: TagsTarget,
  options: ListTagsOptions = {}
): Promise<TagListing> {
  let pageSize = options.pageSize ?? DEFAULT_TAGS_PAGE_SIZE
  const maxPages = options.maxPages ?? DEFAULT_TAGS_MAX_PAGES
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`tags page size must be a whole number of at least 1, got ${pageSize}`)
  }
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new RangeError(`tags page bound must be a whole number of at least 1, got ${maxPages}`)
  }
  const maxTags = options.maxTags ?? DEFAULT_TAGS_MAX
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_TAGS_MAX_PAGE_BYTES
  const { transport, registry, repository } = target
  const base = transport.baseUrl(registry)
  const listPath = `/v2/${repository}/tags/list`
  const seen = new Set<string>()
  const asked = new Set<string>()
  const dropped = { invalid: 0 }
  let greatest = ''
  let path: string | undefined = `${listPath}?n=${pageSize}`
  let pages = 0
  while (path !== undefined) {
    if (pages >= maxPages) return finish(seen, pages, dropped, true)
    asked.add(path)
    const context: RequestContext = {
      operation: 'GET tags',
      target: `${registry}/${repository}${pages > 0 ? ` (page ${pages + 1})` : ''}`
    }
    let response: RegistryResponse
    try {
      response = await transport.send({
        registry,
        method: 'GET',
        path,
        headers: { accept: 'application/json' },
        scope: target.scope,
        context,
        accept: [200, 404],
        maxBodyBytes: maxPageBytes
      })
    } catch (error) {
      // docs/registry-quirks.md rows 6-8: a page size above the registry's bound is refused with
      // 400 (distribution 3.1.0 PAGINATION_NUMBER_INVALID above maxtags, ECR UNSUPPORTED above
      // 1000, Quay above 100 for a while): ask once more with a page size all of them take.
      if (pages === 0 && pageSize > SAFE_TAGS_PAGE_SIZE && isStatus(error, 400)) {
        pageSize = SAFE_TAGS_PAGE_SIZE
        path = `${listPath}?n=${pageSize}`
        continue
      }
      if (!(error instanceof TransportError && error.code === 'TOO_LARGE')) throw error
      return finish(
        seen,
        pages + 1,
        dropped,
        true,
        `page ${pages + 1} of the tag list is larger than ${maxPageBytes} bytes`
      )
    }
    pages++
    if (response.status === 404) {
      const { errors } = parseErrorBody(response.body)
      const unknownName = errors.length === 0 || errors.some((e) => e.code === 'NAME_UNKNOWN')
      if (pages === 1 && unknownName) return { tags: [], pages, truncated: false }
      throw new RegistryError(context, 404, errors)
    }
    const page = pageTags(response, context)
    let fresh = 0
    for (const tag of page) {
      if (!isTagName(tag)) {
        dropped.invalid++
        continue
      }
      if (seen.has(tag)) continue
      if (seen.size >= maxTags)
        return finish(seen, pages, dropped, true, `the listing has more than ${maxTags} tags`)
      seen.add(tag)
      if (tag > greatest) greatest = tag
      fresh++
    }
    path = undefined
    const next = nextLink(response.headers.link, response.url)
    if (next) {
      // A link to another host is not followed: our credentials are for this registry only.
      // One on this host by another scheme (a TLS-terminating proxy that writes http:// links)
      // is followed on the registry's own origin, path and query verbatim.
      if (next.host !== new URL(base).host) return finish(seen, pages, dropped, true)
      path = `${next.pathname}${next.search}`
    } else if (page.length >= pageSize && fresh > 0) {
      path = `${listPath}?n=${pageSize}&last=${encodeURIComponent(greatest)}`
    }
    // A registry that links back to a page already read has nothing more to give.
    if (path !== undefined && asked.has(path)) path = undefined
  }
  return finish(seen, pages, dropped, false)
}

function finish(
  seen: Set<string>,
  pages: number,
  dropped: { invalid: number },
  truncated: boolean,
  truncatedWhy?: string
): TagListing {
  const listing: TagListing = { tags: [...seen].sort(), pages, truncated }
  if (truncatedWhy) listing.truncatedWhy = truncatedWhy
  if (dropped.invalid > 0) listing.invalid = dropped.invalid
  return listing
}

/** The `tags` of one page: `{"name": …, "tags": [...]}`; `null` (no tags) is an empty page. */
function pageTags(response: RegistryResponse, context: RequestContext): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(response.body.toString('utf8'))
  } catch {
    throw new IntegrityError(
      'BAD_DOCUMENT',
      `${context.operation} ${context.target}: the tag list is not JSON`
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IntegrityError(
      'BAD_DOCUMENT',
      `${context.operation} ${context.target}: the tag list is not a JSON object`
    )
  }
  const tags = (parsed as { tags?: unknown }).tags
  if (tags === null || tags === undefined) return []
  if (!Array.isArray(tags)) {
    throw new IntegrityError(
      'BAD_DOCUMENT',
      `${context.operation} ${context.target}: "tags" is not a list`
    )
  }
  return tags.filter((t): t is string => typeof t === 'string')
}
