/**
 * The words of every report, shared by the job summary (Markdown) and the CLI's text summary
 * so both tell the same story in the same words: the headline, status words, what happened
 * to each tag, what changed in the index, the held-back note, the next step after a failure,
 * how a source is named, and the run's own lines (an image done, a cancellation, the failed
 * count). Pure text; each renderer decides how to mark it up (`code` wraps a digest or a
 * reference, icons and upper case are the renderer's) and how to lay it out.
 */
import { shortDigest } from '../oci/digest.js'
import type { Mode } from './options.js'
import {
  heldBackTags,
  type IndexChange,
  type ImageReport,
  type ImageStatus,
  type PlatformReport,
  type SourceProblem,
  type TagReport
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
export const STATUS_MEANING: Record<ImageStatus, string> = {
  created: 'the release tag was new and now holds the index',
  updated: 'the release tag held a different index, which was replaced',
  unchanged: 'the release tag already held this exact index; it was not written',
  verified: 'the index is complete and every platform resolves',
  planned: 'dry-run: nothing was written',
  failed: 'failed'
}

/** The dry-run's plan for the release tag, in brief (tables) and in a sentence. */
export const PLANNED_WORD: Record<NonNullable<ImageReport['plannedAction']>, string> = {
  create: 'would create',
  update: 'would update',
  nothing: 'already published'
}

export function plannedWords(action: NonNullable<ImageReport['plannedAction']>): string {
  return action === 'create'
    ? 'would create the release tag'
    : action === 'update'
      ? "would replace the release tag's index"
      : 'the release tag already holds this index'
}

/** The word for a tag's change. */
export const TAG_CHANGE_WORD: Record<TagReport['change'], string> = {
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

const plain: Code = (text) => text

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
export const OLDER_WORD = 'older'

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
export function errorHeadline(error: string | undefined): string {
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

/** The index, copyable in full: `repository@digest (media type)`. */
export function indexText(image: ImageReport, code: Code = plain): string | undefined {
  if (!image.digest) return undefined
  return `${code(`${image.image}@${image.digest}`)}${image.mediaType ? ` (${image.mediaType})` : ''}`
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

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** Names of the floating tags held back (`latest`), each once. */
export function heldBackNames(images: readonly ImageReport[]): string[] {
  return [...new Set(heldBackTags(images).map((ref) => ref.slice(ref.lastIndexOf(':') + 1)))]
}

/** Tags that move (or would move) back to an older index: "latest (2 images)". */
function backwards(images: readonly ImageReport[]): string[] {
  const byTag = new Map<string, number>()
  for (const i of images)
    for (const t of i.tagResults ?? []) if (t.older) byTag.set(t.tag, (byTag.get(t.tag) ?? 0) + 1)
  return [...byTag].map(([tag, n]) => `${tag} (${count(n, 'image')})`)
}

/**
 * The answer first: "v0.0.32: 4 of 5 images published, 1 failed; latest held back".
 * `tag` is the release tag; `mode` the run's mode.
 */
export function headline(images: readonly ImageReport[], runTag: string, mode: Mode): string {
  const tag = releaseLabel(images, runTag)
  const n = images.length
  const failed = images.filter((i) => i.status === 'failed').length
  const by = (s: ImageStatus) => images.filter((i) => i.status === s).length
  const parts: string[] = []
  if (mode === 'verify') {
    parts.push(`${by('verified')} of ${count(n, 'image')} verified`)
    if (failed) parts.push(`${failed} failed`)
    return `${tag}: ${parts.join(', ')}`
  }
  if (mode === 'dry-run') {
    const planned = images.filter((i) => i.status === 'planned')
    const action = (a: string) => planned.filter((i) => i.plannedAction === a).length
    parts.push(`${planned.length} of ${count(n, 'image')} ready to publish`)
    if (failed) parts.push(`${failed} failed`)
    const plan = [
      action('create') ? `${action('create')} would be created` : '',
      action('update') ? `${action('update')} would be updated` : '',
      action('nothing') ? `${action('nothing')} already published` : ''
    ].filter(Boolean)
    let text = `${tag} (dry-run): ${parts.join(', ')}${plan.length ? ` (${plan.join(', ')})` : ''}`
    const held = heldBackNames(images)
    if (held.length) text += `; ${held.join(', ')} would be held back`
    const back = backwards(images)
    if (back.length) text += `; ${back.join(', ')} would move back to an older index`
    return `${text}; nothing was written`
  }
  const published = by('created') + by('updated') + by('unchanged')
  parts.push(`${published} of ${count(n, 'image')} published`)
  if (failed) parts.push(`${failed} failed`)
  const kinds = [
    by('created') ? `${by('created')} created` : '',
    by('updated') ? `${by('updated')} updated` : '',
    by('unchanged') ? `${by('unchanged')} unchanged` : ''
  ].filter(Boolean)
  let text = `${tag}: ${parts.join(', ')}`
  if (!failed && kinds.length) text += ` (${kinds.join(', ')})`
  const held = heldBackNames(images)
  if (held.length) text += `; ${held.join(', ')} held back`
  const back = backwards(images)
  if (back.length) text += `; ${back.join(', ')} moved back to an older index`
  return text
}

/** The note under the headline when floating tags were held back, else undefined. */
export function heldBackNote(images: readonly ImageReport[], mode: Mode): string | undefined {
  const held = heldBackNames(images)
  if (held.length === 0) return undefined
  const failed = images.filter((i) => i.status === 'failed').map((i) => shortName(i.image))
  const verb = mode === 'dry-run' ? 'would stay' : 'stayed'
  return `The release is incomplete (${failed.join(', ')} failed), so ${held.join(', ')} ${verb} where ${held.length === 1 ? 'it was' : 'they were'} on every image: a floating tag never mixes two releases. The release tags of the complete images ${mode === 'dry-run' ? 'would be' : 'were'} written; ${held.length === 1 ? 'it moves' : 'they move'} on the run in which every image is published (floating-tags: together).`
}

/** How a renderer names an input: `wait-timeout` in the Action, `--wait-timeout` in the CLI. */
export type InputNamer = (name: string) => string

/** What to do after a failure, in one sentence. */
export function nextStep(image: ImageReport, input: InputNamer, code: Code = plain): string {
  const problems = image.sourceProblems ?? []
  switch (image.errorCode) {
    case 'SOURCES_MISSING': {
      const missing = problems.filter((p) => p.problem === 'missing').map((p) => code(p.source))
      return missing.length > 0
        ? `push ${missing.join(', ')}, then re-run this job; if ${missing.length === 1 ? 'it is' : 'they are'} still being built, set ${input('wait-timeout')} (e.g. 10m) so the step waits`
        : `check the per-arch tags named above, then re-run this job`
    }
    case 'PLATFORM_MISMATCH':
      return `push the right image under ${problems.map((p) => code(p.source)).join(', ') || 'the tags named above'} (the config says another platform), then re-run this job`
    case 'TAG_HOLDS_OTHER':
      return `the release tag holds another index and ${input('on-existing')} is keep: publish under a new tag, or re-run with ${input('on-existing')} update to replace it`
    case 'CANCELLED':
      return 're-run this job: it writes only what is missing and leaves what is right alone'
    default:
      return 'fix the cause below, then re-run this job: a re-run writes only what is missing and leaves what is right alone'
  }
}

/**
 * The step's one failure line: which images failed and, when floating tags were held back,
 * that the release is incomplete and which tags stayed where they were.
 */
export function failureLine(
  images: readonly ImageReport[],
  options: { tag: string; mode: Mode },
  names: readonly string[] = images.filter((i) => i.status === 'failed').map((i) => i.image)
): string {
  const failed = images.filter((i) => i.status === 'failed')
  let line = `${failed.length} of ${images.length} image(s) failed: ${names.join(', ')}`
  const held = heldBackNames(images)
  if (held.length > 0) {
    line += `; the release ${releaseLabel(images, options.tag)} is incomplete: ${held.join(', ')} ${options.mode === 'dry-run' ? 'would be' : held.length === 1 ? 'was' : 'were'} held back on every image (still on the previous release)`
  }
  return line
}

/**
 * The release tag a report is about: the run's tag, or the release tags of its images when
 * a step checks several releases (the Action's `releases` input).
 */
export function releaseLabel(images: readonly ImageReport[], fallback: string): string {
  const tags = [...new Set(images.map((i) => i.tags[0]).filter(Boolean))]
  if (tags.length <= 1) return tags[0] ?? fallback
  return tags.join(', ')
}

/** The shortened digest, for tables (the full one is shown elsewhere). */
export { shortDigest }

/** One image finished, in the run's log: "ghcr.io/o/app: created sha256:…". */
export function imageDoneLine(report: ImageReport): string {
  return `${report.image}: ${report.status}${report.digest ? ` ${report.digest}` : ''}`
}

/** The first SIGINT/SIGTERM, in the run's log. */
export function cancellingLine(signal: string): string {
  return `received ${signal}: cancelling; no further request will be sent`
}

/** Appended to every refusal before the session opens (docs/design.md §4: bad inputs send nothing). */
export const NOTHING_SENT = '(nothing was sent to any registry)'
