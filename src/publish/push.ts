/**
 * Writing the index under a tag, and recovering from what registries answer to a PUT
 * (docs/registry-protocol.md §B.6, docs/design.md §3 "Push" and "Retry"):
 *
 * - MANIFEST_BLOB_UNKNOWN: a registry can lag behind the children's own pushes. Re-check
 *   every child; if all exist, wait and PUT again (bounded); if one is gone, fail naming it.
 * - An immutable-tag refusal (ECR TAG_INVALID, Harbor 412, Artifact Registry, ACR locks;
 *   refused even for identical bytes): if the tag already holds our digest it is success
 *   (`unchanged`), else fail naming the registry's rule. A refused media type fails naming
 *   the `media-type` input to use (put-refusal.ts).
 * - A PUT whose answer was lost (the registry stored it, the 201 never arrived) and whose
 *   retries ended in a failure: if the tag now holds our digest, it is success.
 */
import type { IndexDocument } from '../oci/index-document.js'
import type { RepositoryClient } from '../registry/api/client.js'
import type { Deadline } from '../registry/base/deadline.js'
import { RegistryError } from '../registry/base/errors.js'
import { classifyFailure } from '../registry/base/failure.js'
import type { Logger } from '../registry/base/logger.js'
import { formatReference } from '../registry/base/reference.js'
import { retry } from '../registry/base/retry.js'
import type { RetrySchedule } from '../registry/base/retry-policy.js'
import { mapBounded } from '../registry/base/semaphore.js'
import { PublishError } from './errors.js'
import { classifyPutRefusal, mediaTypeAdvice, type PutRefusal } from './put-refusal.js'
import type { TagDecision } from './tags.js'

/**
 * PUT again after MANIFEST_BLOB_UNKNOWN while every child exists: waits of 1 and 2 s (three
 * PUTs). A registry's index of a fresh push catches up within a second or two; a refusal that
 * outlasts that is not lag, and the error says which children the registry cannot see.
 */
const BLOB_UNKNOWN_POLICY: RetrySchedule = {
  baseMs: 1_000,
  capMs: 2_000,
  jitter: 'none',
  tries: 3
}

/** What the children of the index are: every entry must exist in the target repository. */
async function missingChildren(repo: RepositoryClient, index: IndexDocument): Promise<string[]> {
  const heads = await mapBounded(index.document.manifests, 8, (d) => repo.headManifest(d.digest))
  return index.document.manifests.filter((_, i) => !heads[i]).map((d) => d.digest)
}

export interface PushContext {
  repo: RepositoryClient
  deadline: Deadline
  /** The retry loop's jitter source. */
  random: () => number
  logger: Logger
}

/** One PUT's outcome; `lagging` asks the retry loop for another PUT. */
type PutOutcome = 'pushed' | 'already' | { lagging: RegistryError }

/**
 * PUT the index under one tag with the recoveries above. Returns 'pushed', or 'already'
 * when an immutable tag turned out to hold our digest.
 */
async function putTag(
  ctx: PushContext,
  index: IndexDocument,
  tag: string
): Promise<'pushed' | 'already'> {
  const { repo, logger } = ctx
  const ref = formatReference({ registry: repo.registry, repository: repo.repository, tag })
  const outcome = await retry<PutOutcome>(() => putOnce(ctx, index, tag, ref), {
    what: `PUT manifest ${ref}`,
    policy: BLOB_UNKNOWN_POLICY,
    deadline: ctx.deadline,
    random: ctx.random,
    again: (put) => (typeof put === 'object' ? 'MANIFEST_BLOB_UNKNOWN' : undefined),
    observer: {
      retrying: (event) =>
        logger.info(
          `${ref}: MANIFEST_BLOB_UNKNOWN although every child exists (registry lag); PUT again in ${event.delayMs / 1000}s (${event.attempt} of ${BLOB_UNKNOWN_POLICY.tries! - 1})`
        )
    }
  })
  if (typeof outcome === 'object') throw outcome.lagging
  return outcome
}

/** One PUT (with the transport's own retries) and the recoveries that need no new PUT. */
async function putOnce(
  ctx: PushContext,
  index: IndexDocument,
  tag: string,
  ref: string
): Promise<PutOutcome> {
  const { repo, logger } = ctx
  try {
    await repo.putManifest(tag, index.mediaType, index.bytes)
    return 'pushed'
  } catch (error) {
    const refusal = classifyPutRefusal(error)
    if (refusal) return refused(ctx, index, ref, tag, error as RegistryError, refusal)
    if (error instanceof RegistryError && error.hasCode('MANIFEST_BLOB_UNKNOWN')) {
      const missing = await missingChildren(repo, index)
      if (missing.length > 0) {
        throw new PublishError(
          'CHILD_MISSING',
          `${ref}: the registry refused the index (MANIFEST_BLOB_UNKNOWN) and these children are gone from ${repo.repository}`,
          missing
        )
      }
      return { lagging: error }
    }
    if (classifyFailure(error).kind === 'may-have-landed') {
      const head = await repo.headManifest(tag).catch(() => undefined)
      if (head?.digest === index.digest) {
        logger.info(`${ref}: the PUT's answer was lost, but the tag holds ${index.digest}`)
        return 'pushed'
      }
    }
    throw error
  }
}

/** Hears each tag's PUT start and success (for the per-tag report after a failure). */
interface PushProgress {
  started?: (tag: string) => void
  pushed?: (tag: string) => void
}

/**
 * The registry refused the PUT (put-refusal.ts). The tag already holding our digest is
 * success (an immutable tag re-pushed by a re-run: docs/registry-quirks.md rows 2-4);
 * otherwise the error names the registry's rule, or the media-type input to use instead.
 */
async function refused(
  ctx: PushContext,
  index: IndexDocument,
  ref: string,
  tag: string,
  error: RegistryError,
  refusal: PutRefusal
): Promise<'already'> {
  const { repo, logger } = ctx
  // The code when there is one (what the registry's rule is known by), else the status.
  const answer = error.code ?? String(error.status)
  const head = await repo.headManifest(tag, { existenceCheck: true })
  if (head?.digest === index.digest) {
    logger.info(
      `${ref}: the registry refuses to overwrite the tag (${answer}), and it already holds ${index.digest}`
    )
    return 'already'
  }
  const immutable =
    refusal.kind === 'immutable' || (refusal.kind === 'immutable-or-content' && head !== undefined)
  if (immutable) {
    const rule = refusal.kind === 'immutable' ? refusal.rule : refusal.immutableRule
    throw new PublishError(
      'TAG_IMMUTABLE',
      `${ref} is immutable on this registry (${answer}), which points at ${rule}; it holds ${head ? head.digest : 'nothing readable'}, not the new index ${index.digest}. Push under a new tag, or allow the tag to be overwritten on the registry (the registry answered: ${error.message})`
    )
  }
  const rule = refusal.kind === 'content' ? refusal.rule : refusal.contentRule
  throw new PublishError(
    'MEDIA_TYPE_REFUSED',
    `${ref}: ${rule}: ${error.message}. The index is ${index.mediaType}; ${mediaTypeAdvice(index.mediaType)}`
  )
}

/**
 * PUT the index under every tag of `decisions` that needs it, together. The engine calls it
 * for the release tag first (the one that matters if the step dies half-way), then for the
 * floating tags. Returns the decisions with tags that turned out to hold the index already
 * marked 'nothing'.
 */
export async function pushTags(
  ctx: PushContext,
  index: IndexDocument,
  decisions: readonly TagDecision[],
  progress: PushProgress = {}
): Promise<TagDecision[]> {
  return Promise.all(
    decisions.map(async (decision): Promise<TagDecision> => {
      if (decision.action === 'nothing') return decision
      progress.started?.(decision.tag)
      const outcome = await putTag(ctx, index, decision.tag)
      progress.pushed?.(decision.tag)
      return outcome === 'already' ? { ...decision, action: 'nothing' } : decision
    })
  )
}
