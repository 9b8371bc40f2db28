/**
 * The words of every report about one image, shared by the job summary (Markdown) and the
 * CLI's text summary so both tell the same story in the same words: status words, the
 * dry-run's plan, what happened to each tag, what changed in the index, what was wrong with
 * a per-arch image, and how a source is named. The sentences about the run as a whole are in
 * report-sentences.ts. Pure text; each renderer decides how to mark it up (`code` wraps a
 * digest or a reference; icons and upper case are the renderer's) and how to lay it out.
 */
import { shortDigest } from '../oci/digest.js'
import type { RateLimit } from '../registry/api/rate-limit.js'
import type { Discovery } from './discover.js'
import type {
  IndexChange,
  ImageReport,
  ImageStatus,
  PlatformReport,
  SourceProblem,
  TagReport
} from './result.js'

/** One word (or two) per status. */
export const STATUS_WORD: Record<ImageStatus, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  verified: 'verified',
  planned: 'planned',
  failed: 'failed'
}

/** What a status means, in a sentence (about the release tag, never about `latest`). */
const STATUS_MEANING: Record<ImageStatus, string> = {
  created: 'the release tag was new and now holds the index',
  updated: 'the release tag held a different index, which was replaced',
  unchanged: 'the release tag already held this exact index; it was not written',
  verified: 'the index is complete and every platform resolves',
  planned: 'dry-run: nothing was written',
  failed: 'failed'
}

/** The dry-run's plan for the release tag, in brief (tables) and in a sentence. */
const PLANNED_WORD: Record<NonNullable<ImageReport['plannedAction']>, string> = {
  create: 'would create',
  update: 'would update',
  nothing: 'already published'
}

function plannedWords(action: NonNullable<ImageReport['plannedAction']>): string {
  return action === 'create'
    ? 'would create the release tag'
    : action === 'update'
      ? "would replace the release tag's index"
      : 'the release tag already holds this index'
}

/** The word for a tag's change. */
const TAG_CHANGE_WORD: Record<TagReport['change'], string> = {
  created: 'created',
  moved: 'moved',
  unchanged: 'unchanged',
  'would-create': 'would be created',
  'would-move': 'would move',
  'held-back': 'held back',
  'not-written': 'not written',
  unknown: 'unknown'
}

/** How a renderer marks up a digest or a reference (plain for the terminal). */
export type Code = (text: string) => string

export const plain: Code = (text) => text

/** What a digest-or-nothing is, in words. */
function holding(digest: string | null | undefined, code: Code): string {
  if (digest === undefined) return 'not known'
  return digest === null ? 'nothing' : code(digest)
}

/** What happened to one tag, as a sentence fragment: "moved from A to B", "held back: still holds A". */
export function tagChangeText(
  t: TagReport,
  newDigest: string | undefined,
  code: Code = plain
): string {
  const before = holding(t.previousDigest, code)
  const after = newDigest ? code(newDigest) : 'the new index'
  const older = t.older ? ` (back to an older index: ${t.older})` : ''
  switch (t.change) {
    case 'created':
      return `created: now holds ${after}`
    case 'would-create':
      return `would be created, holding ${after}`
    case 'moved':
      return `moved from ${before} to ${after}${older}`
    case 'would-move':
      return `would move from ${before} to ${after}${older}`
    case 'unchanged':
      return `unchanged: already held ${after}`
    case 'held-back':
      return `held back (the release is incomplete): still holds ${before}`
    case 'not-written':
      return `not written: holds ${before}${t.previousDigest ? ' (what it held before)' : ''}`
    case 'unknown':
      return `unknown: its write was under way, so it holds ${before} or ${after}; a re-run settles it`
  }
}

/** The mark of a tag that moves (or would move) back to an older index. */
const OLDER_WORD = 'older'

/**
 * Each tag of an image in a few words: "v0.0.32 created", "latest held back" (just the tags
 * when no tag was read). `older` marks a move back to an older index, the renderer's way.
 */
export function tagsInBrief(
  image: ImageReport,
  code: Code = plain,
  older: (word: string) => string = (word) => ` (${word})`
): string[] {
  if (!image.tagResults) return image.tags.map(code)
  return image.tagResults.map(
    (t) => `${code(t.tag)} ${TAG_CHANGE_WORD[t.change]}${t.older ? older(OLDER_WORD) : ''}`
  )
}

/** Failed images first (they are the news), the rest in the order of the images input. */
export function failedFirst(images: readonly ImageReport[]): ImageReport[] {
  return [
    ...images.filter((i) => i.status === 'failed'),
    ...images.filter((i) => i.status !== 'failed')
  ]
}

/**
 * An image's name in an overview: its short name, with the release tag when one step
 * checks several releases (the Action's `releases` input), where the name alone would repeat.
 */
export function imageLabel(image: ImageReport, images: readonly ImageReport[]): string {
  const several = new Set(images.map((i) => i.tags[0])).size > 1
  return several ? `${shortName(image.image)}:${image.tags[0]}` : shortName(image.image)
}

/** The status in brief, with the dry-run's plan: "planned: would create". */
export function statusInBrief(
  image: ImageReport,
  status: (word: string) => string = plain
): string {
  const planned = image.plannedAction ? `: ${PLANNED_WORD[image.plannedAction]}` : ''
  return `${status(STATUS_WORD[image.status])}${planned}`
}

/** The first line of an error, without the colon that introduces its list. */
function errorHeadline(error: string | undefined): string {
  return (error ?? 'failed').split(/\r?\n/)[0].replace(/:$/, '')
}

/**
 * What an image's status means, in a sentence: the error's first line for a failure, else
 * the status's meaning and, in a dry-run, its plan for the release tag.
 */
export function statusSentence(image: ImageReport): string {
  if (image.status === 'failed') return errorHeadline(image.error)
  const planned = image.plannedAction ? `; ${plannedWords(image.plannedAction)}` : ''
  return `${STATUS_MEANING[image.status]}${planned}`
}

/**
 * The index, copyable in full: `repository@digest (media type)`. `code` marks up the
 * reference, `text` the media type (registry text in verify mode).
 */
export function indexText(
  image: ImageReport,
  code: Code = plain,
  text: Code = plain
): string | undefined {
  if (!image.digest) return undefined
  return `${code(`${image.image}@${image.digest}`)}${image.mediaType ? ` (${text(image.mediaType)})` : ''}`
}

/** The platforms in brief: "1 of 2 found" for a failure with missing ones, else a count. */
export function platformsInBrief(image: ImageReport): string | undefined {
  if (image.status === 'failed' && image.sourceProblems) {
    return `${image.platforms.length} of ${image.platforms.length + image.sourceProblems.length} found`
  }
  return image.platforms.length > 0 ? String(image.platforms.length) : undefined
}

/** How the index differs from the one the tag held, per platform. */
export type PlatformChange = keyof Omit<IndexChange, 'comparedWith'>

/** The word for a platform's change ("new image": same platform, another per-arch image). */
export const PLATFORM_CHANGE_WORD: Record<PlatformChange, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'new image'
}

/**
 * What happened to one platform of the new index: added, changed, or `same` when there was
 * an index to compare with; undefined when there was none. A platform matches with or
 * without its os version (`windows(10.0.20348.3453)/amd64` is `windows/amd64`).
 */
export function platformChange(
  image: ImageReport,
  platform: string
): Exclude<PlatformChange, 'removed'> | 'same' | undefined {
  const changes = image.changes
  if (!changes) return undefined
  const key = platform.replace(/\([^)]*\)/, '')
  const named = (list: readonly string[]) => list.some((p) => p === platform || p === key)
  if (named(changes.added)) return 'added'
  if (named(changes.changed)) return 'changed'
  return 'same'
}

/**
 * What changed in the index, one part per kind: "added windows/amd64; new image for
 * linux/amd64". `mark` puts the renderer's sign before a part (an icon in the job summary).
 */
export function changeText(
  changes: IndexChange,
  list: (platforms: readonly string[]) => string = (platforms) => platforms.join(', '),
  mark: (change: PlatformChange) => string = () => ''
): string {
  const part = (change: PlatformChange, words: string) =>
    changes[change].length ? `${mark(change)}${words} ${list(changes[change])}` : ''
  const parts = [
    part('added', PLATFORM_CHANGE_WORD.added),
    part('removed', PLATFORM_CHANGE_WORD.removed),
    part('changed', `${PLATFORM_CHANGE_WORD.changed} for`)
  ].filter(Boolean)
  return parts.join('; ') || 'platforms unchanged (entry details differ)'
}

/** Which index the change is against: "compared with sha256:…, which latest held". */
export function comparedWithText(changes: IndexChange, code: Code = plain): string | undefined {
  const c = changes.comparedWith
  return c ? `compared with ${code(c.digest)}, which ${code(c.tag)} held` : undefined
}

/** The notes on one platform entry: stale (verify mode), attestations kept. */
export function platformNotes(
  p: PlatformReport,
  stale: (words: string) => string = plain
): string[] {
  return [
    p.stale ? stale('stale: the per-arch tag now holds another image') : '',
    p.attestations ? `+${p.attestations} attestation${p.attestations === 1 ? '' : 's'}` : ''
  ].filter(Boolean)
}

/** A per-arch image that was there, in a failure's platform table. */
export const FOUND_WORD = 'found'

/** What is wrong with a per-arch image, in a failure's platform table. */
export const SOURCE_PROBLEM_WORD: Record<SourceProblem['problem'], string> = {
  missing: 'not found',
  wrong: 'not what its tag says'
}

/** A source as short as it stays unambiguous: the tag in the image's repository, else the full reference (a digest source names its repository). */
export function sourceLabel(image: string, source: string): string {
  return source.startsWith(`${image}:`) ? source.slice(image.length + 1) : source
}

/** The last path segment of a repository: `retina-agent`. */
export function shortName(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1)
}

/** The shortened digest, for tables (the full one is shown elsewhere). */
export { shortDigest }

/** One labelled fact of a report: "Discovered (platforms: auto)" and what was found. */
export interface Fact {
  label: string
  text: string
}

/**
 * What `platforms: auto` found and set aside (docs/design.md §2 `platforms`), one fact per
 * line: the tags found with their platforms, each group of ignored tags with why and a few
 * examples, the names dropped as invalid, and a listing cut short. `code` marks up a tag and
 * `text` the other words that came from the registry (the job summary escapes both).
 */
export function discoveryFacts(
  discovery: Discovery,
  code: Code = plain,
  text: Code = plain
): Fact[] {
  const found = discovery.found.map((f) => `${code(f.tag)} (${text(f.platform)})`).join(', ')
  const facts: Fact[] = [{ label: 'Discovered (platforms: auto)', text: found || 'nothing' }]
  for (const group of discovery.ignored) {
    const more = group.count > group.examples.length ? ', …' : ''
    facts.push({
      label: `Ignored ${group.count}`,
      text: `${text(group.why)} (${group.examples.map(code).join(', ')}${more})`
    })
  }
  if (discovery.invalidTags)
    facts.push({
      label: `Dropped ${discovery.invalidTags}`,
      text: 'names in the tag listing that are not valid tag names'
    })
  if (discovery.truncated)
    facts.push({
      label: 'Note',
      text: text(
        discovery.truncatedWhy ?? 'the tag listing stopped at its page limit; more tags may exist'
      )
    })
  return facts
}

/** `21600` → `6h`, `90` → `90s`. */
function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`
  if (seconds % 60 === 0) return `${seconds / 60}min`
  return `${seconds}s`
}

/**
 * Docker Hub's pull limit (docs/registry-quirks.md #37) as a fact: "Pull limit: 97 of 100
 * per 6h left". Numbers only, never registry text.
 */
export function pullLimitFact(rateLimit: RateLimit): Fact {
  const { limit, remaining, windowSeconds } = rateLimit
  const window = windowSeconds ? ` per ${formatWindow(windowSeconds)}` : ''
  return { label: 'Pull limit', text: `${remaining} of ${limit}${window} left` }
}
