/**
 * The engine: plan → resolve → check → assemble → push → confirm, for one image at a time
 * (DESIGN.md §3). Nothing is written unless every expected platform checked out and every
 * tag's fate was decided.
 */
import { CancelledError } from '../registry/errors.js'
import { repositoryName } from '../registry/reference.js'
import { assembleIndex } from './assemble.js'
import type { ImagePlan, PublishOptions } from './options.js'
import { resolveSources, type ResolveContext, type ResolvedSource } from './resolve.js'
import type { ImageReport, PlatformReport } from './result.js'
import { targetAccess, type Session } from './session.js'
import { pushTags } from './push.js'
import { confirmTags, decideTags, describeChange, readTags } from './tags.js'
import { PublishError } from './errors.js'
import { foreignManifests, importForeignSources } from './import-sources.js'
import type { RepositoryClient } from '../registry/client.js'
import { formatPlatform } from '../oci/platform.js'
import type { Logger } from '../registry/logger.js'
import { mapBounded } from '../registry/semaphore.js'

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
 * Run one image in the options' mode. Never throws: failures are in the report. `logger`
 * replaces the session's for this image's own lines (the Action buffers them per image).
 */
export async function runImage(
  planned: ImagePlan,
  options: PublishOptions,
  session: Session,
  logger: Logger = session.logger
): Promise<ImageReport> {
  const { transport, clock } = session
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
  const ctx: ResolveContext = { repo, repoFor, transport, clock, deadline, random, logger }
  const report: ImageReport = {
    image: repositoryName(plan.image),
    tags: [...plan.tags],
    status: 'failed',
    platforms: []
  }
  // What had been done when a failure or a cancellation struck, for the report.
  let stage = 'reading the per-arch images'
  const pushed: string[] = []
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
      return report
    }
    // The target tags are read while the sources are (independent reads, one round trip saved).
    let headsRead = readTags(repo, plan.tags)
    headsRead.catch(() => undefined) // a source failure may win the race; this error then is not the news
    const { resolved, waited } = await resolveSources(ctx, plan.sources, options.waitTimeoutMs)
    report.platforms = resolved.map(platformReport)
    for (const p of report.platforms)
      logger.info(`${p.platform.padEnd(32)} ${p.digest}  ${p.source}`)
    stage = 'assembling the index'
    const index = assembleIndex(resolved, options.mediaType, options.annotations)
    report.digest = index.digest
    report.mediaType = index.mediaType
    // After a long wait another run may have pushed meanwhile: read the tags again.
    if (waited) headsRead = readTags(repo, plan.tags)
    stage = 'reading the target tags'
    const decisions = decideTags(repo, await headsRead, index.digest, options.onExisting)
    const release = decisions[0]
    if (release.action === 'update' && release.current) {
      report.previousDigest = release.current.digest
      report.changes = await describeChange(repo, release.current.digest, index.document.manifests)
    }
    const foreign = foreignManifests(resolved, repo)
    if (options.mode === 'dry-run') {
      if (foreign.length > 0 && decisions.some((d) => d.action !== 'nothing')) {
        logger.info(
          `dry-run: would copy ${foreign.length} manifest(s) from other repositories into ${repositoryName(repo)} first`
        )
      }
      report.status = 'planned'
      report.plannedAction = decisions.some((d) => d.action === 'update')
        ? 'update'
        : decisions.some((d) => d.action === 'create')
          ? 'create'
          : 'nothing'
      report.index = index.bytes.toString('utf8')
      logger.info(
        `dry-run: would ${report.plannedAction === 'nothing' ? 'change nothing' : report.plannedAction} ${index.digest}:\n${report.index}`
      )
      return report
    }
    if (foreign.length > 0 && decisions.some((d) => d.action !== 'nothing')) {
      stage = 'copying sources from other repositories'
      await importForeignSources(repo, resolved, logger)
    }
    stage = 'pushing the index'
    const done = await pushTags({ repo, deadline, random, logger }, index, decisions, (tag) =>
      pushed.push(tag)
    )
    stage = 'confirming the pushed tags'
    // Read back every tag that was written; a tag left alone was read just before (its HEAD
    // gave our digest), so reading it again would only cost a round trip.
    const written = done.filter((d) => d.action !== 'nothing').map((d) => d.tag)
    await confirmTags(repo, { deadline, random }, index, written, resolved)
    report.status = done.some((d) => d.action === 'update')
      ? 'updated'
      : done.some((d) => d.action === 'create')
        ? 'created'
        : 'unchanged'
    return report
  } catch (error) {
    report.status = 'failed'
    report.error = errorMessage(error)
    if (error instanceof CancelledError) {
      const notPushed = plan.tags.filter((t) => !pushed.includes(t))
      report.error = `cancelled while ${stage}; tags written: ${pushed.join(', ') || 'none'}; not written: ${notPushed.join(', ') || 'none'}`
    }
    return report
  }
}

/** Images worked on at once; requests are bounded per registry by the transport as well. */
export const IMAGE_CONCURRENCY = 16

export interface RunAllHooks {
  /** The logger for one image's own lines (default: the session's). */
  loggerFor?: (plan: ImagePlan) => Logger
  /** Hears each image's report as soon as it is done (in completion order). */
  onImageDone?: (report: ImageReport, plan: ImagePlan) => void
}

/**
 * Run every image concurrently (bounded), sharing the session's connection pool, token
 * cache and deadline. Every image is attempted and reported even when another fails; the
 * reports keep the order of the images input.
 */
export async function runAll(
  options: PublishOptions,
  session: Session,
  hooks: RunAllHooks = {}
): Promise<ImageReport[]> {
  return mapBounded(options.plans, IMAGE_CONCURRENCY, async (plan) => {
    const report = await runImage(plan, options, session, hooks.loggerFor?.(plan) ?? session.logger)
    hooks.onImageDone?.(report, plan)
    return report
  })
}
