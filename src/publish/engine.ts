/**
 * The engine: plan → resolve → check → assemble → push → confirm, for one image at a time
 * (docs/design.md §3). Nothing is written unless every expected platform checked out and every
 * tag's fate was decided. The floating tags (`latest`, `1.2`) move in a second step, by
 * default only once every image of the run has its release tag written: a `latest` that
 * mixes two releases is the partial state this tool exists to prevent, one level up.
 */
import { CancelledError } from '../registry/base/errors.js'
import { repositoryName } from '../registry/base/reference.js'
import { assembleIndex } from './assemble.js'
import type { ImagePlan, PublishOptions } from './options.js'
import {
  resolveSources,
  SourcesError,
  type ResolveContext,
  type ResolvedSource
} from './resolve.js'
import type { ImageReport, ImageStatus, PlatformReport } from './result.js'
import { targetAccess, type Session } from './session.js'
import { pushTags, type PushContext } from './push.js'
import { confirmTags, decideTags, describeChange, readTags, type TagDecision } from './tags.js'
import { PublishError } from './errors.js'
import { foreignManifests, importForeignSources } from './import-sources.js'
import type { RepositoryClient } from '../registry/api/client.js'
import { formatPlatform } from '../oci/platform.js'
import { formatReference } from '../registry/base/reference.js'
import type { ManifestHead } from '../registry/api/client.js'
import { TagLedger } from './tag-ledger.js'
import { olderThanPrevious } from './index-age.js'
import type { Logger } from '../registry/base/logger.js'
import { mapBounded } from '../registry/base/semaphore.js'

function platformReport(s: ResolvedSource): PlatformReport {
  const report: PlatformReport = {
    platform: formatPlatform(s.entry.platform),
    source: s.source,
    digest: s.entry.digest,
    size: s.entry.size,
    mediaType: s.entry.mediaType
  }
  if (s.attestations.length > 0) report.attestations = s.attestations.length
  return report
}

/** The message of any error, for reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * One image after its release tag: the report so far and, when there are floating tags to
 * settle, the step that moves them (`move: true`) or holds them back (`move: false`).
 */
interface ImageRun {
  report: ImageReport
  floating?: (move: boolean) => Promise<void>
}

/** Statuses of an image whose release is complete (its release tag holds, or would hold, the index). */
const COMPLETE: readonly ImageStatus[] = ['created', 'updated', 'unchanged', 'planned', 'verified']

/** The image's status from what happened to its release tag (not to `latest`). */
function releaseStatus(decision: TagDecision): ImageStatus {
  return decision.action === 'update'
    ? 'updated'
    : decision.action === 'create'
      ? 'created'
      : 'unchanged'
}

/**
 * Compare the new index with the index a tag held: the release tag's when it moves, else the
 * first floating tag that moves (so `latest` from v0.0.31 to v0.0.32 shows what changed).
 */
function comparisonBase(decisions: readonly TagDecision[]): TagDecision | undefined {
  return decisions.find((d) => d.action === 'update' && d.current)
}

/**
 * Run one image in the options' mode, up to and including its release tag. Never throws:
 * failures are in the report. `logger` replaces the session's for this image's own lines
 * (the Action buffers them per image).
 */
async function runImage(
  planned: ImagePlan,
  options: PublishOptions,
  session: Session,
  logger: Logger = session.logger
): Promise<ImageRun> {
  const { clock } = session
  let plan = planned
  // The plan's own release tag (its first tag), not one tag for the whole run: a step may
  // hold several releases of one image (the Action's `releases` input).
  const releaseTag = plan.tags[0]
  const repo = session.client.repository(plan.image, targetAccess(options.mode))
  // Sources in other repositories are read with their own pull-only clients (one token
  // per scope set); the target's own repository goes through the target's client.
  const others = new Map<string, RepositoryClient>([[repositoryName(plan.image), repo]])
  const repoFor: ResolveContext['repoFor'] = (reference) => {
    const name = repositoryName(reference)
    let client = others.get(name)
    if (!client) {
      client = session.client.repository(reference, 'pull')
      others.set(name, client)
    }
    return client
  }
  const { deadline, random } = session
  const ctx: ResolveContext = { repo, repoFor, clock, deadline, random, logger }
  const report: ImageReport = {
    image: repositoryName(plan.image),
    tags: [...plan.tags],
    status: 'failed',
    platforms: []
  }
  const ledger = new TagLedger(plan.tags, options.mode === 'dry-run')
  // What was being done when a failure or a cancellation struck, for the report.
  let stage = 'reading the per-arch images'
  let headsRead: Promise<Map<string, ManifestHead | undefined>> | undefined
  // The target tags as read, once the read is done: a cancellation sends no new request but
  // still reports what the tags held.
  let headsKnown: Map<string, ManifestHead | undefined> | undefined

  const fail = async (error: unknown): Promise<void> => {
    report.status = 'failed'
    report.error = errorMessage(error)
    if (error instanceof PublishError) report.errorCode = error.code
    if (error instanceof SourcesError) {
      report.platforms = error.found.map(platformReport)
      report.sourceProblems = error.unusable.map((u) => ({
        ...(u.planned.expected ? { platform: u.planned.expected.text } : {}),
        source: formatReference(u.planned.reference),
        problem: u.problem,
        detail: u.detail
      }))
    }
    if (error instanceof CancelledError) {
      report.errorCode = 'CANCELLED'
      const written = plan.tags.filter((t) => ledger.pushed.has(t))
      const notWritten = plan.tags.filter((t) => !ledger.pushed.has(t))
      report.error = `cancelled while ${stage}; tags written: ${written.join(', ') || 'none'}; not written: ${notWritten.join(', ') || 'none'}`
      ledger.heads ??= headsKnown
    } else if (!ledger.heads && options.mode !== 'verify') {
      // What every tag holds now: read (bounded by the deadline) unless the step is cancelled.
      ledger.heads = await (headsRead ?? readTags(repo, plan.tags)).catch(() => undefined)
    }
    report.tagResults = ledger.results()
  }

  try {
    if (plan.discover) {
      stage = 'listing the tags (platforms: auto)'
      // Discovery and verify mode are loaded when a run uses them (README, Performance).
      const { discoverSources } = await import('./discover.js')
      const found = await discoverSources(repo, options.sourceTemplate, releaseTag, plan.tags)
      report.discovery = found.discovery
      logger.info(
        `platforms: auto found ${found.sources.length} per-platform tag(s): ${found.discovery.found.map((f) => `${f.tag} (${f.platform})`).join(', ') || 'none'}`
      )
      for (const group of found.discovery.ignored) {
        logger.info(
          `ignored ${group.count} tag(s), ${group.why}: ${group.examples.join(', ')}${group.count > group.examples.length ? ', ...' : ''}`
        )
      }
      if (found.discovery.invalidTags) {
        logger.warning(
          `platforms: auto: dropped ${found.discovery.invalidTags} name(s) in the tag listing that are not valid tag names`
        )
      }
      if (found.discovery.truncatedWhy)
        logger.warning(`platforms: auto: ${found.discovery.truncatedWhy}`)
      if (found.sources.length === 0) {
        throw new PublishError(
          'SOURCES_MISSING',
          `platforms: auto found no per-platform tag of ${releaseTag} in ${repositoryName(plan.image)} (template '${options.sourceTemplate.text}'); nothing was written`
        )
      }
      plan = { ...plan, sources: found.sources }
      stage = 'reading the per-arch images'
    }
    if (options.mode === 'verify') {
      const { verifyImage } = await import('./verify.js')
      const outcome = await verifyImage(ctx, plan)
      Object.assign(report, {
        status: 'verified',
        digest: outcome.digest,
        mediaType: outcome.mediaType,
        platforms: outcome.platforms
      })
      for (const note of outcome.notes) logger.warning(note)
      return { report }
    }
    // The target tags are read while the sources are (independent reads, one round trip saved).
    headsRead = readTags(repo, plan.tags)
    // A source failure may win the race; this read's error then is not the news.
    headsRead.then((heads) => (headsKnown = heads)).catch(() => undefined)
    const { resolved, waited } = await resolveSources(ctx, plan.sources, options.waitTimeoutMs)
    report.platforms = resolved.map(platformReport)
    for (const p of report.platforms)
      logger.info(`${p.platform.padEnd(32)} ${p.digest}  ${p.source}`)
    stage = 'assembling the index'
    const index = assembleIndex(resolved, options.mediaType, options.annotations)
    report.digest = index.digest
    report.mediaType = index.mediaType
    ledger.digest = index.digest
    // After a long wait another run may have pushed meanwhile: read the tags again.
    if (waited) headsRead = readTags(repo, plan.tags)
    stage = 'reading the target tags'
    ledger.heads = await headsRead
    const decisions = decideTags(repo, ledger.heads, index.digest, options.onExisting)
    ledger.decisions = decisions
    const [release, ...floating] = decisions
    if (release.action === 'update' && release.current)
      report.previousDigest = release.current.digest
    const base = comparisonBase(decisions)
    if (base?.current) {
      const change = await describeChange(repo, base.current.digest, index.document.manifests)
      if (change)
        report.changes = { comparedWith: { tag: base.tag, digest: base.current.digest }, ...change }
    }
    // Is a move going back in time? One look per previous index, whichever tags held it.
    const ages = new Map<string, Promise<string | undefined>>()
    for (const d of decisions) {
      if (d.action !== 'update' || !d.current) continue
      const previous = d.current.digest
      if (!ages.has(previous))
        ages.set(previous, olderThanPrevious(repo, previous, options.annotations, resolved))
      const older = await ages.get(previous)
      if (older) {
        ledger.older.set(d.tag, older)
        logger.warning(
          `${formatReference({ registry: repo.registry, repository: repo.repository, tag: d.tag })} ${options.mode === 'dry-run' ? 'would move' : 'moves'} to an older index than the one it holds (${previous}): ${older}`
        )
      }
    }
    const foreign = foreignManifests(resolved, repo)
    if (options.mode === 'dry-run') {
      if (foreign.length > 0 && decisions.some((d) => d.action !== 'nothing')) {
        logger.info(
          `dry-run: would copy ${foreign.length} manifest(s) from other repositories into ${repositoryName(repo)} first`
        )
      }
      report.status = 'planned'
      report.plannedAction = release.action
      report.index = index.bytes.toString('utf8')
      logger.info(
        `dry-run: would ${release.action === 'nothing' ? 'leave the release tag as it is' : release.action} ${index.digest}:\n${report.index}`
      )
      report.tagResults = ledger.results()
      return {
        report,
        floating: async (move) => {
          if (!move) holdBack(floating, ledger, logger, true)
          report.tagResults = ledger.results()
        }
      }
    }
    if (foreign.length > 0 && decisions.some((d) => d.action !== 'nothing')) {
      stage = 'copying sources from other repositories'
      await importForeignSources(repo, resolved, logger)
    }
    const pushCtx: PushContext = { repo, deadline, random, logger }
    stage = 'pushing the index under the release tag'
    const [written] = await pushTags(pushCtx, index, [release], ledger.progress)
    ledger.settle([written])
    stage = 'confirming the release tag'
    await confirmTags(
      repo,
      { deadline, random },
      index,
      written.action !== 'nothing' ? [written.tag] : [],
      resolved
    )
    report.status = releaseStatus(written)
    report.tagResults = ledger.results()
    return {
      report,
      floating: async (move) => {
        try {
          if (!move) {
            holdBack(floating, ledger, logger, false)
            return
          }
          stage = 'pushing the index under the floating tags'
          const done = await pushTags(pushCtx, index, floating, ledger.progress)
          ledger.settle(done)
          stage = 'confirming the floating tags'
          // The platforms were checked with the release tag; only the tags are read back.
          const moved = done.filter((d) => d.action !== 'nothing').map((d) => d.tag)
          await confirmTags(repo, { deadline, random }, index, moved, [])
        } catch (error) {
          await fail(error)
        } finally {
          report.tagResults = ledger.results()
        }
      }
    }
  } catch (error) {
    await fail(error)
    return { report }
  }
}

/** Leave the floating tags that would move where they are, and say so. */
function holdBack(
  floating: readonly TagDecision[],
  ledger: TagLedger,
  logger: Logger,
  planned: boolean
): void {
  for (const d of floating) {
    if (d.action === 'nothing') continue
    ledger.heldBack.add(d.tag)
    logger.warning(
      `${d.tag}: ${planned ? 'would be held back' : 'held back'} because the release is incomplete (another image of this ${planned ? 'dry-run' : 'step'} failed); it ${d.current ? `still holds ${d.current.digest}` : 'still holds nothing'}`
    )
  }
}

/** Images worked on at once; requests are bounded per registry by the transport as well. */
const IMAGE_CONCURRENCY = 16

interface RunAllHooks {
  /** The logger for one image's own lines (default: the session's). */
  loggerFor?: (plan: ImagePlan) => Logger
  /** Hears each image's report as soon as it is final (its floating tags settled). */
  onImageDone?: (report: ImageReport, plan: ImagePlan) => void
}

/**
 * Run every image concurrently (bounded), sharing the session's connection pool, token
 * cache and deadline. Every image is attempted and reported even when another fails; the
 * reports keep the order of the images input.
 *
 * `floating-tags: together`: every image first gets its release tag; only when all of them
 * are complete do the floating tags move, else they are held back everywhere (the release
 * tags of the complete images are still written: a repair makes progress). `each`: every
 * image moves its floating tags as soon as its release tag is written.
 */
export async function runAll(
  options: PublishOptions,
  session: Session,
  hooks: RunAllHooks = {}
): Promise<ImageReport[]> {
  const runOne = async (plan: ImagePlan) => {
    const run = await runImage(plan, options, session, hooks.loggerFor?.(plan) ?? session.logger)
    // What Docker Hub said is left of its pull limit (docs/registry-quirks.md #37), for the summary.
    const rateLimit = session.client.rateLimits.get(plan.image.registry)
    if (rateLimit) run.report.rateLimit = rateLimit
    return run
  }
  if (options.floatingTags === 'each') {
    return mapBounded(options.plans, IMAGE_CONCURRENCY, async (plan) => {
      const run = await runOne(plan)
      await run.floating?.(true)
      hooks.onImageDone?.(run.report, plan)
      return run.report
    })
  }
  const runs = await mapBounded(options.plans, IMAGE_CONCURRENCY, runOne)
  // A step may hold several releases (the Action's `releases` input): each release's
  // floating tags wait for that release's images only.
  const incomplete = new Set(
    runs.filter((r) => !COMPLETE.includes(r.report.status)).map((r) => r.report.tags[0])
  )
  await mapBounded(runs, IMAGE_CONCURRENCY, async (run, i) => {
    await run.floating?.(!incomplete.has(run.report.tags[0]))
    hooks.onImageDone?.(run.report, options.plans[i])
  })
  return runs.map((r) => r.report)
}
