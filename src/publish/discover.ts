/**
 * Discovery for repair (`platforms: auto`): read the platforms of a release back out of the
 * repository's tags, through the source template. The tag list is only a hint —
 * every tag found is still read and its config checked like any other source — and cosign
 * tags (`sha256-<hex>.sig|.att|.sbom`, and cosign v3's bare `sha256-<hex>` referrers
 * fallback) and tags of other versions are ignored, each with the reason.
 */
import {
  expectedPlatformKey,
  parsePlatform,
  PlatformSyntaxError,
  WINDOWS_RELEASE_BUILDS,
  type ExpectedPlatform
} from '../oci/platform.js'
import type { RepositoryClient } from '../registry/api/client.js'
import type { PlannedSource } from './options.js'
import { renderTemplate, type SourceTemplate } from './template.js'

interface DiscoveredTag {
  tag: string
  /** The platform the tag names, in the `platforms` input form. */
  platform: string
}

interface IgnoredTags {
  why: string
  count: number
  /** The first few, for the summary. */
  examples: string[]
}

export interface Discovery {
  found: DiscoveredTag[]
  ignored: IgnoredTags[]
  /** The listing stopped at a bound (pages, tags, page size); more tags may exist. */
  truncated: boolean
  /** What the truncation was, in words, for the log and the summary. */
  truncatedWhy?: string
  /** Names in the listing that were not valid tag names, dropped unread. */
  invalidTags?: number
}

const COSIGN_TAG = /^sha256-[a-f0-9]{64}(?:\.(?:sig|att|sbom))?$/
const EXAMPLES = 5

/** What each token may look like inside a tag (no token may contain '-', so splits are unambiguous). */
const TOKEN_PATTERNS: Record<string, string> = {
  os: '[a-z0-9]+',
  arch: '[a-z0-9_]+',
  variant: 'v[0-9]+(?:\\.[0-9]+)?',
  release: Object.keys(WINDOWS_RELEASE_BUILDS).join('|'),
  osversion: '[0-9]+(?:\\.[0-9]+){1,3}'
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A function that reads the platform out of a tag of release `tag`, or undefined when the
 * tag is not one the template renders for it. A match must render back to the same tag.
 */
function tagPlatformReader(
  template: SourceTemplate,
  tag: string
): (candidate: string) => ExpectedPlatform | undefined {
  const names: string[] = []
  const pattern = template.parts
    .map((part) => {
      if ('literal' in part) return escapeRegExp(part.literal)
      if (part.token === 'tag') return part.dash ? `(?:-${escapeRegExp(tag)})` : escapeRegExp(tag)
      names.push(part.token)
      const inner = `(${TOKEN_PATTERNS[part.token]})`
      return part.dash ? `(?:-${inner})?` : inner
    })
    .join('')
  const regex = new RegExp(`^${pattern}$`)
  return (candidate) => {
    const match = regex.exec(candidate)
    if (!match) return undefined
    const values: Record<string, string | undefined> = {}
    for (const [i, name] of names.entries()) {
      const value = match[i + 1]
      if (values[name] !== undefined && value !== values[name]) return undefined
      values[name] = value
    }
    if (!values.os || !values.arch) return undefined
    const version = values.release ?? values.osversion
    let platform: ExpectedPlatform
    try {
      platform = parsePlatform(
        `${values.os}${version ? `(${version})` : ''}/${values.arch}${values.variant ? `/${values.variant}` : ''}`
      )
    } catch (error) {
      if (error instanceof PlatformSyntaxError) return undefined
      throw error
    }
    return renderTemplate(template, tag, platform) === candidate ? platform : undefined
  }
}

const OS_RANK = (os: string) => (os === 'linux' ? 0 : os === 'windows' ? 2 : 1)
const ARCH_RANK = (arch: string) => (arch === 'amd64' ? 0 : arch === 'arm64' ? 1 : 2)

/** Index order for discovered platforms: linux first, windows last; amd64, arm64, then the rest. */
function compareFound(
  a: { tag: string; platform: ExpectedPlatform },
  b: { tag: string; platform: ExpectedPlatform }
): number {
  const pa = a.platform
  const pb = b.platform
  return (
    OS_RANK(pa.os) - OS_RANK(pb.os) ||
    pa.os.localeCompare(pb.os) ||
    ARCH_RANK(pa.architecture) - ARCH_RANK(pb.architecture) ||
    pa.architecture.localeCompare(pb.architecture) ||
    (pa.variant ?? '').localeCompare(pb.variant ?? '') ||
    (pa.osVersion ?? '').localeCompare(pb.osVersion ?? '', 'en', { numeric: true }) ||
    a.tag.localeCompare(b.tag)
  )
}

/** Candidates classified between two yields to the event loop. */
const CLASSIFY_SLICE = 1000

/** Let timers and signal handlers run (a cancelled step must not wait for a long loop). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Sort a repository's tags into the release's per-platform tags and the rest, in time linear
 * in the number of tags. Every slice of candidates it yields to the event loop and calls
 * `checkLive`, which throws when the step is cancelled or its deadline has passed.
 */
export async function classifyTags(
  tags: readonly string[],
  template: SourceTemplate,
  tag: string,
  indexTags: readonly string[],
  checkLive: () => void = () => undefined
): Promise<Omit<Discovery, 'truncated'>> {
  const read = tagPlatformReader(template, tag)
  const index = new Set(indexTags)
  const ignored = new Map<string, IgnoredTags>()
  const ignore = (why: string, candidate: string) => {
    let group = ignored.get(why)
    if (!group) {
      group = { why, count: 0, examples: [] }
      ignored.set(why, group)
    }
    group.count++
    if (group.examples.length < EXAMPLES) group.examples.push(candidate)
  }
  const matched: Array<{ tag: string; platform: ExpectedPlatform }> = []
  for (const [i, candidate] of tags.entries()) {
    if (i > 0 && i % CLASSIFY_SLICE === 0) {
      await yieldToEventLoop()
      checkLive()
    }
    if (COSIGN_TAG.test(candidate)) ignore('a cosign signature, attestation or SBOM tag', candidate)
    else if (index.has(candidate)) ignore('a tag the index itself goes under', candidate)
    else {
      const platform = read(candidate)
      if (platform) matched.push({ tag: candidate, platform })
      else ignore(`not a per-platform tag of ${tag} under '${template.text}'`, candidate)
    }
  }
  matched.sort(compareFound)
  const seen = new Map<string, string>()
  const found: DiscoveredTag[] = []
  for (const m of matched) {
    const key = expectedPlatformKey(m.platform)
    const earlier = seen.get(key)
    if (earlier) ignore(`the same platform as ${earlier}`, m.tag)
    else {
      seen.set(key, m.tag)
      found.push({ tag: m.tag, platform: m.platform.text })
    }
  }
  return { found, ignored: [...ignored.values()] }
}

/** List the repository's tags and turn the release's per-platform tags into planned sources. */
export async function discoverSources(
  repo: RepositoryClient,
  template: SourceTemplate,
  tag: string,
  indexTags: readonly string[],
  pageSize?: number
): Promise<{ sources: PlannedSource[]; discovery: Discovery }> {
  const listing = await repo.listTags(pageSize === undefined ? {} : { pageSize })
  const context = { operation: 'platforms: auto', target: `${repo.registry}/${repo.repository}` }
  const classified = await classifyTags(listing.tags, template, tag, indexTags, () =>
    repo.transport.checkLive(context)
  )
  const sources = classified.found.map((f) => ({
    expected: parsePlatform(f.platform),
    reference: { registry: repo.registry, repository: repo.repository, tag: f.tag }
  }))
  const discovery: Discovery = { ...classified, truncated: listing.truncated }
  if (listing.truncated) {
    discovery.truncatedWhy = `the tag listing was cut short (${listing.truncatedWhy ?? `it stopped at its page limit of ${listing.pages} pages`}); more tags may exist`
  }
  if (listing.invalid) discovery.invalidTags = listing.invalid
  return { sources, discovery }
}
