/**
 * The sentences about a run as a whole, shared by the job summary, the CLI's text summary and
 * the run's log: the headline ("v0.0.32: 4 of 5 images published, 1 failed; latest held
 * back"), the held-back note, the next step after a failure, the step's failure line, and
 * the run's own log lines (an image done, a cancellation, a refusal that sent nothing).
 * The words about one image are in report-words.ts.
 */
import type { Mode } from './options.js'
import { heldBackTags, type ImageReport, type ImageStatus } from './result.js'
import { plain, shortName, type Code } from './report-words.js'

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** Names of the floating tags held back (`latest`), each once. */
function heldBackNames(images: readonly ImageReport[]): string[] {
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
type InputNamer = (name: string) => string

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
function releaseLabel(images: readonly ImageReport[], fallback: string): string {
  const tags = [...new Set(images.map((i) => i.tags[0]).filter(Boolean))]
  if (tags.length <= 1) return tags[0] ?? fallback
  return tags.join(', ')
}

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
