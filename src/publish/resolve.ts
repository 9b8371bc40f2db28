/**
 * Resolve and check the sources of one image (docs/design.md §3 "Resolve", "Check", "Sources
 * that are indexes", "Wait"): read each per-arch reference once (bounded concurrency), take
 * the platform from its config blob, check it against the expected platform, flatten
 * buildx-style source indexes keeping their attestation manifests, and wait (bounded) for
 * late sources. Every problem is collected so one run reports all of them.
 */
import {
  formatPlatform,
  fullPlatformKey,
  isUnknownPlatform,
  normalizedPlatformKey,
  platformFromConfig,
  platformMismatch
} from '../oci/platform.js'
import { ManifestFormatError, parseImageConfig } from '../oci/manifest-parse.js'
import type { Descriptor, ImageConfig, ImageIndex, Platform } from '../oci/types.js'
import type { RepositoryClient } from '../registry/api/client.js'
import type { Clock } from '../registry/base/clock.js'
import type { Deadline } from '../registry/base/deadline.js'
import type { Logger } from '../registry/base/logger.js'
import { formatReference } from '../registry/base/reference.js'
import { retry } from '../registry/base/retry.js'
import type { RetrySchedule } from '../registry/base/retry-policy.js'
import { mapBounded } from '../registry/base/semaphore.js'
import { formatSeconds } from '../registry/base/deadline.js'
import { DEFAULT_CONCURRENCY } from '../registry/transport/transport.js'
import { PublishError } from './errors.js'
import type { PlannedSource } from './options.js'

/** BuildKit's attestation annotations (moby/buildkit docs/attestations/attestation-storage.md). */
const ANNOTATION_REFERENCE_TYPE = 'vnd.docker.reference.type'
const ANNOTATION_REFERENCE_DIGEST = 'vnd.docker.reference.digest'
const ATTESTATION_MANIFEST = 'attestation-manifest'

/** A source that checked out: the entry it gives the index, and its attestations. */
export interface ResolvedSource {
  planned: PlannedSource
  /** `registry/repo:tag` as given. */
  source: string
  /** The image manifest's descriptor, platform from its config. */
  entry: Descriptor & { platform: NonNullable<Descriptor['platform']> }
  /** Attestation manifests that reference the entry, kept as the source index had them. */
  attestations: Descriptor[]
  /** The repository the source was read from (another one than the target's: copy first). */
  origin: RepositoryClient
  /** The image config's `created`, when it has a valid one. */
  created?: string
}

/** A source that could not be used: missing, or not what its tag says. */
interface UnusableSource {
  planned: PlannedSource
  problem: 'missing' | 'wrong'
  detail: string
}

/**
 * Sources missing or wrong: the PublishError, with what was found and what was not, so a
 * report can show both (the user sees amd64 was there and arm64 was not).
 */
export class SourcesError extends PublishError {
  constructor(
    code: 'SOURCES_MISSING' | 'PLATFORM_MISMATCH',
    message: string,
    problems: string[],
    readonly found: ResolvedSource[],
    readonly unusable: UnusableSource[]
  ) {
    super(code, message, problems)
  }
}

/** What reading one source found. */
type ReadOutcome =
  | { kind: 'ok'; resolved: ResolvedSource }
  | { kind: 'missing' }
  | { kind: 'problem'; problem: string }

/** Reads the target through `repo`, and each source through `repoFor` its reference. */
export interface ResolveContext {
  /** The target repository. */
  repo: RepositoryClient
  /** The client for a source's repository (the target's own client for its repository). */
  repoFor: (
    reference: Pick<PlannedSource['reference'], 'registry' | 'repository'>
  ) => RepositoryClient
  clock: Clock
  /** The step's deadline, shared with the transport. */
  deadline: Deadline
  /** The retry loops' jitter source. */
  random: () => number
  logger: Logger
  /** Sources read at once. */
  concurrency?: number
}

/** `ref (platform)` for messages. */
function label(planned: PlannedSource): string {
  const ref = formatReference(planned.reference)
  return planned.expected ? `${ref} (${planned.expected.text})` : ref
}

/** True for a BuildKit attestation entry. */
export function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.[ANNOTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST ||
    isUnknownPlatform(d.platform)
  )
}

async function readConfigPlatform(
  repo: RepositoryClient,
  planned: PlannedSource,
  configDigest: string
): Promise<{ platform: Platform; created?: string } | { problem: string }> {
  let config: ImageConfig
  try {
    config = parseImageConfig(await repo.getBlob(configDigest))
  } catch (error) {
    if (error instanceof ManifestFormatError)
      return { problem: `${label(planned)}: its config ${configDigest}: ${error.message}` }
    throw error
  }
  const platform = platformFromConfig(config)
  if (!platform)
    return { problem: `${label(planned)}: its config ${configDigest} has no os/architecture` }
  if (planned.expected) {
    const why = platformMismatch(planned.expected, platform)
    if (why) return { problem: `${label(planned)}: ${why}` }
  }
  return config.created ? { platform, created: config.created } : { platform }
}

/** Pick the index entry for the expected platform, or the only image entry. */
function chooseFromIndex(planned: PlannedSource, index: ImageIndex): Descriptor | string {
  const images = index.manifests.filter((d) => !isAttestation(d))
  const listing =
    images.map((d) => (d.platform ? formatPlatform(d.platform) : d.digest)).join(', ') || 'nothing'
  if (!planned.expected) {
    if (images.length === 1) return images[0]
    return `${label(planned)}: is an index of ${images.length} platforms (${listing}); name one image per source`
  }
  const want = normalizedPlatformKey(planned.expected)
  const matches = images.filter((d) => d.platform && normalizedPlatformKey(d.platform) === want)
  if (matches.length === 1) return matches[0]
  if (matches.length === 0)
    return `${label(planned)}: is an index without ${want} (it has ${listing})`
  return `${label(planned)}: is an index with ${matches.length} entries for ${want}; cannot tell which is meant`
}

/**
 * Polling for late per-arch images (`wait-timeout`): 1, 2, 4, then every 5 s. A matrix leg
 * that finishes seconds late is seen at once; a long wait costs one round of reads per 5 s.
 * No count: the bound is `wait-timeout` (and the step's deadline).
 */
const WAIT_FOR_SOURCES_POLICY: RetrySchedule = {
  baseMs: 1_000,
  capMs: 5_000,
  jitter: 'none'
}

/** Read and check one source (no waiting). */
export async function readSource(
  ctx: ResolveContext,
  planned: PlannedSource
): Promise<ReadOutcome> {
  const ref = planned.reference.digest ?? planned.reference.tag!
  const source = formatReference(planned.reference)
  const repo = ctx.repoFor(planned.reference)
  const top = await repo.getManifest(ref)
  if (!top) return { kind: 'missing' }
  let image = top
  let attestations: Descriptor[] = []
  if (top.parsed.kind === 'index') {
    const chosen = chooseFromIndex(planned, top.parsed.document)
    if (typeof chosen === 'string') return { kind: 'problem', problem: chosen }
    const child = await repo.getManifest(chosen.digest)
    if (!child)
      return {
        kind: 'problem',
        problem: `${label(planned)}: its index entry ${chosen.digest} is not in the repository`
      }
    if (child.parsed.kind === 'index') {
      return {
        kind: 'problem',
        problem: `${label(planned)}: its entry ${chosen.digest} is itself an index; an index is never nested`
      }
    }
    image = child
    attestations = top.parsed.document.manifests
      .filter(
        (d) => isAttestation(d) && d.annotations?.[ANNOTATION_REFERENCE_DIGEST] === child.digest
      )
      .map((d) => ({ ...d }))
    ctx.logger.debug(
      `${source}: index ${top.digest}, using ${child.digest} and ${attestations.length} attestation manifest(s)`
    )
  }
  if (image.parsed.kind !== 'image') throw new Error('unreachable: an index was handled above')
  const checked = await readConfigPlatform(repo, planned, image.parsed.document.config.digest)
  if ('problem' in checked) return { kind: 'problem', problem: checked.problem }
  return {
    kind: 'ok',
    resolved: {
      planned,
      source,
      entry: {
        mediaType: image.mediaType,
        digest: image.digest,
        size: image.size,
        platform: checked.platform
      },
      attestations,
      origin: repo,
      ...(checked.created ? { created: checked.created } : {})
    }
  }
}

/**
 * Read and check every source; wait up to `waitTimeoutMs` for missing ones. Throws
 * PublishError listing every missing or wrong source; nothing has been written then.
 */
export async function resolveSources(
  ctx: ResolveContext,
  sources: readonly PlannedSource[],
  waitTimeoutMs: number
): Promise<{ resolved: ResolvedSource[]; waited: boolean }> {
  const waitUntil = ctx.clock.now() + waitTimeoutMs
  const outcomes: ReadOutcome[] = sources.map(() => ({ kind: 'missing' }))
  let waited = false
  const missing = () =>
    outcomes.map((o, i) => (o.kind === 'missing' ? i : -1)).filter((i) => i >= 0)
  // Each round reads what is still missing (the first round: everything).
  const readMissing = async (): Promise<ReadOutcome[]> => {
    const pending = missing()
    const read = await mapBounded(pending, ctx.concurrency ?? DEFAULT_CONCURRENCY, (i) =>
      readSource(ctx, sources[i])
    )
    pending.forEach((index, k) => (outcomes[index] = read[k]))
    return outcomes
  }
  await retry(readMissing, {
    what: 'waiting for per-arch images (wait-timeout)',
    policy: WAIT_FOR_SOURCES_POLICY,
    deadline: ctx.deadline,
    random: ctx.random,
    giveUpAt: waitUntil,
    again: () => (missing().length > 0 ? 'per-arch image(s) missing' : undefined),
    observer: {
      retrying: () => {
        const pending = missing()
        ctx.logger.info(
          `waiting for ${pending.length} per-arch image(s): ${pending.map((i) => formatReference(sources[i].reference)).join(', ')} (${formatSeconds(waitUntil - ctx.clock.now())} of wait-timeout left)`
        )
        waited = true
      }
    }
  })

  const problems: string[] = []
  const unusable: UnusableSource[] = []
  const absent = missing()
  for (const i of absent) {
    const detail = `not found${waitTimeoutMs > 0 ? ` after waiting ${formatSeconds(waitTimeoutMs)}` : ''}`
    problems.push(`${label(sources[i])}: ${detail}`)
    unusable.push({ planned: sources[i], problem: 'missing', detail })
  }
  outcomes.forEach((o, i) => {
    if (o.kind !== 'problem') return
    problems.push(o.problem)
    unusable.push({ planned: sources[i], problem: 'wrong', detail: o.problem })
  })
  if (problems.length > 0) {
    const code = absent.length > 0 ? 'SOURCES_MISSING' : 'PLATFORM_MISMATCH'
    const what =
      absent.length > 0
        ? `${absent.length} of ${sources.length} per-arch image(s) missing`
        : 'per-arch image(s) are not what their tags say'
    const found = outcomes.flatMap((o) => (o.kind === 'ok' ? [o.resolved] : []))
    throw new SourcesError(code, `${what}; nothing was written`, problems, found, unusable)
  }

  const resolved = outcomes.map((o) => (o as { kind: 'ok'; resolved: ResolvedSource }).resolved)
  const seen = new Map<string, string>()
  const duplicates: string[] = []
  for (const r of resolved) {
    const key = fullPlatformKey(r.entry.platform)
    const earlier = seen.get(key)
    if (earlier)
      duplicates.push(`${r.source} and ${earlier} are both ${formatPlatform(r.entry.platform)}`)
    else seen.set(key, r.source)
  }
  if (duplicates.length > 0)
    throw new PublishError(
      'DUPLICATE_PLATFORM',
      'two sources have the same platform; nothing was written',
      duplicates
    )
  return { resolved, waited }
}
