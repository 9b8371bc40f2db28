/**
 * The tags a `releases` run checks: the newest N published releases of the repository, drafts
 * skipped (a draft's images are not public yet) and prereleases kept unless the user opts
 * out. GitHub lists releases newest first; pages are read only until N are found.
 */
import type { GitHubApi } from './github-api.js'
import type { ReleaseSelection } from './github-inputs.js'

export interface SelectedReleases {
  /** Release tags, newest first. */
  tags: string[]
  /** Releases passed over, for the log. */
  skipped: { drafts: number; prereleases: number }
}

export async function newestReleases(
  api: Pick<GitHubApi, 'releasePages'>,
  selection: ReleaseSelection
): Promise<SelectedReleases> {
  const tags: string[] = []
  const skipped = { drafts: 0, prereleases: 0 }
  // A page of exactly N: when none is skipped, one request is enough.
  for await (const page of api.releasePages(selection.count)) {
    for (const release of page) {
      if (release.draft) skipped.drafts++
      else if (release.prerelease && !selection.includePrereleases) skipped.prereleases++
      else if (!tags.includes(release.tag)) tags.push(release.tag)
      if (tags.length === selection.count) return { tags, skipped }
    }
  }
  return { tags, skipped }
}
