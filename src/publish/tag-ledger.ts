/**
 * What each tag of one image held, what was decided and done, and so what it holds now: the
 * per-tag report, also after a failure or a cancellation part-way (the user learns whether
 * anything diverged, and that a re-run repairs it).
 */
import type { ManifestHead } from '../registry/api/client.js'
import type { TagChange, TagReport } from './result.js'
import type { TagDecision } from './tags.js'

export class TagLedger {
  /** What the tags held before any write (undefined: not read). */
  heads: Map<string, ManifestHead | undefined> | undefined
  /** The decisions, updated as writes settle (an immutable tag holding our digest: nothing). */
  decisions: TagDecision[] | undefined
  /** The digest of the new index (undefined: not assembled). */
  digest: string | undefined
  /** Tags whose PUT was sent, and those whose PUT was answered. */
  readonly started = new Set<string>()
  readonly pushed = new Set<string>()
  /** Floating tags left where they were: the release is incomplete. */
  readonly heldBack = new Set<string>()
  /** Why a tag's move goes to an older index. */
  readonly older = new Map<string, string>()

  constructor(
    readonly tags: readonly string[],
    readonly planned: boolean
  ) {}

  /** Hooks for pushTags. */
  readonly progress = {
    started: (tag: string) => this.started.add(tag),
    pushed: (tag: string) => this.pushed.add(tag)
  }

  /** Replace the decisions of the tags in `settled`. */
  settle(settled: readonly TagDecision[]): void {
    if (!this.decisions) return
    for (const d of settled) {
      const i = this.decisions.findIndex((x) => x.tag === d.tag)
      if (i >= 0) this.decisions[i] = d
    }
  }

  /** Whether the tag holds the new index: written by this run, or held it already. */
  private holdsNew(tag: string, decision: TagDecision): boolean {
    return this.pushed.has(tag) || decision.action === 'nothing'
  }

  /** One report per tag, in the order of the tags. */
  results(): TagReport[] {
    return this.tags.map((tag, i) => {
      const decision = this.decisions?.find((d) => d.tag === tag)
      const head = this.heads?.get(tag)
      const previousDigest = this.heads ? (head?.digest ?? null) : undefined
      const report: TagReport = {
        tag,
        role: i === 0 ? 'release' : 'floating',
        change: 'not-written'
      }
      if (previousDigest !== undefined) report.previousDigest = previousDigest
      const change = ((): TagChange => {
        if (this.heldBack.has(tag)) return 'held-back'
        if (this.planned && decision) {
          return decision.action === 'create'
            ? 'would-create'
            : decision.action === 'update'
              ? 'would-move'
              : 'unchanged'
        }
        if (decision && this.holdsNew(tag, decision)) {
          return decision.action === 'create'
            ? 'created'
            : decision.action === 'update'
              ? 'moved'
              : 'unchanged'
        }
        return this.started.has(tag) ? 'unknown' : 'not-written'
      })()
      report.change = change
      if (['created', 'moved', 'unchanged'].includes(change) && !this.planned)
        report.digest = this.digest ?? null
      else if (change !== 'unknown' && previousDigest !== undefined) report.digest = previousDigest
      const older = this.older.get(tag)
      if (older && (change === 'moved' || change === 'would-move')) report.older = older
      return report
    })
  }
}
