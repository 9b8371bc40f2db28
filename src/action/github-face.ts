/**
 * What a run with `releases` or `report-issue` does on GitHub, behind one dynamic import
 * (main.ts): Octokit and everything that uses it load only on those runs.
 */
import { connectGitHub } from './github-api.js'
import type { IssueReportOptions, ReleaseSelection } from './github-inputs.js'
import {
  repairImageLines,
  reportToIssue,
  type ReportAction,
  type RunOutcome
} from './issue-report.js'
import type { RawInputs } from '../publish/options.js'
import { newestReleases, type SelectedReleases } from './releases.js'

export interface GitHubFace {
  releases(selection: ReleaseSelection): Promise<SelectedReleases>
  report(options: IssueReportOptions, outcome: RunOutcome, write: boolean): Promise<ReportAction>
  /** Each image's line of the repair command (see issue-report.ts). */
  repairImageLines(raw: RawInputs): Map<string, string>
}

export function openGitHubFace(
  token: string,
  repository: { owner: string; repo: string },
  signal: AbortSignal,
  debug: (message: string) => void
): GitHubFace {
  const api = connectGitHub(token, repository, signal, debug)
  return {
    releases: (selection) => newestReleases(api, selection),
    report: (options, outcome, write) => reportToIssue(api, options, outcome, write),
    repairImageLines
  }
}
