/**
 * The target tags: read what they hold, decide (per `on-existing`) before any write, push,
 * and confirm by reading back (docs/design.md §3 "Push", "Confirm").
 */
import { formatPlatform } from '../oci/platform.js'
import { selectEntry } from '../oci/platform-select.js'
import type { IndexDocument } from '../oci/index-document.js'
import type { Descriptor } from '../oci/types.js'
import type { ManifestHead, RepositoryClient } from '../registry/api/client.js'
import { formatReference } from '../registry/base/reference.js'
import type { Deadline } from '../registry/base/deadline.js'
import { retry } from '../registry/base/retry.js'
import type { RetrySchedule } from '../registry/base/retry-policy.js'
import { PublishError } from './errors.js'
import type { OnExisting } from './options.js'
import type { IndexChange } from './result.js'
import type { ResolvedSource } from './resolve.js'

/** What one tag holds now and what we will do with it. */
export interface TagDecision {
  tag: string
  current: ManifestHead | undefined
  action: 'create' | 'update' | 'nothing'
}

/**
 * HEAD every tag (concurrently): an existence check before the PUT decides, so a 403 counts
 * as absent (docs/registry-quirks.md #33).
 */
export async function readTags(
  repo: RepositoryClient,
  tags: readonly string[]
): Promise<Map<string, ManifestHead | undefined>> {
  const heads = await Promise.all(
    tags.map((tag) => repo.headManifest(tag, { existenceCheck: true }))
  )
  return new Map(tags.map((tag, i) => [tag, heads[i]]))
}

/**
 * Decide every tag before writing any: with `on-existing: keep`, a release tag that holds
 * a different manifest fails the image and nothing is written.
 */
export function decideTags(
  repo: RepositoryClient,
  heads: Map<string, ManifestHead | undefined>,
  digest: string,
  onExisting: OnExisting
): TagDecision[] {
  const decisions = [...heads].map(([tag, current]): TagDecision => ({
    tag,
    current,
    action: !current ? 'create' : current.digest === digest ? 'nothing' : 'update'
  }))
  // `keep` protects the release tag. Extra tags (`latest`, `1.2`) exist to move to the newest
  // index, so they follow it whatever they held; with keep they would fail every release.
  const refused = decisions.filter(
    (d, i) => i === 0 && d.action === 'update' && onExisting === 'keep'
  )
  if (refused.length > 0) {
    throw new PublishError(
      'TAG_HOLDS_OTHER',
      `on-existing is keep and ${refused.length === 1 ? 'a tag holds' : 'tags hold'} a different manifest; nothing was written`,
      refused.map(
        (d) =>
          `${formatReference({ registry: repo.registry, repository: repo.repository, tag: d.tag })} holds ${d.current!.digest}, the new index is ${digest}`
      )
    )
  }
  return decisions
}

/** Platforms of a previous index compared with ours: what was added, removed or changed. */
export async function describeChange(
  repo: RepositoryClient,
  previousDigest: string,
  entries: readonly Descriptor[]
): Promise<IndexChange | undefined> {
  const previous = await repo.getManifest(previousDigest)
  if (!previous) return undefined
  const before = new Map<string, string>()
  if (previous.parsed.kind === 'index') {
    for (const d of previous.parsed.document.manifests)
      if (d.platform) before.set(formatPlatform(d.platform), d.digest)
  } else {
    before.set('(a single-platform manifest)', previous.digest)
  }
  const after = new Map(
    entries.filter((d) => d.platform).map((d) => [formatPlatform(d.platform!), d.digest])
  )
  const change: IndexChange = { added: [], removed: [], changed: [] }
  for (const [platform, digest] of after) {
    if (!before.has(platform)) change.added.push(platform)
    else if (before.get(platform) !== digest) change.changed.push(platform)
  }
  for (const platform of before.keys()) if (!after.has(platform)) change.removed.push(platform)
  return change
}

/**
 * The confirming read-back: registries can lag behind a PUT (B.6), for a moment. Waits of
 * 0.25, 0.5, 1, 2, 4 s (6 reads over about 8 s): enough for a replica to catch up; a tag
 * that still answers another digest after that was most likely moved by someone else, and
 * waiting for the step's deadline would not change it. No jitter: one reader per tag.
 */
const CONFIRM_POLICY: RetrySchedule = {
  baseMs: 250,
  capMs: 4_000,
  jitter: 'none',
  tries: 6
}

/**
 * Read every tag back until it answers our digest (bounded), then check that each platform
 * resolves, as containerd resolves it, to the entry meant for it.
 */
export async function confirmTags(
  repo: RepositoryClient,
  timing: { deadline: Deadline; random: () => number },
  index: IndexDocument,
  tags: readonly string[],
  sources: readonly ResolvedSource[]
): Promise<void> {
  const problems: string[] = []
  await Promise.all(
    tags.map(async (tag) => {
      const ref = formatReference({ registry: repo.registry, repository: repo.repository, tag })
      const head = await retry(() => repo.headManifest(tag), {
        what: `confirming ${ref}`,
        policy: CONFIRM_POLICY,
        ...timing,
        again: (read) => (read?.digest === index.digest ? undefined : 'not our digest yet')
      })
      if (head?.digest !== index.digest) {
        problems.push(
          `${ref} answers ${head ? head.digest : 'not found'} after the push of ${index.digest}`
        )
      }
    })
  )
  for (const s of sources) {
    const chosen = selectEntry(index.document.manifests, s.entry.platform)
    if (chosen?.digest !== s.entry.digest) {
      problems.push(
        `a puller on ${formatPlatform(s.entry.platform)} would get ${chosen ? chosen.digest : 'nothing'} instead of ${s.entry.digest} (${s.source})`
      )
    }
  }
  if (problems.length > 0)
    throw new PublishError(
      'CONFIRM_FAILED',
      'the pushed index does not read back as intended',
      problems
    )
}
