/**
 * The Action's GitHub-only inputs: tags taken from the repository's GitHub releases, and the
 * opt-in report to a GitHub issue. They exist only on the Action (the CLI has no workflow
 * token or repository), so they are parsed here, next to the other inputs, and checked
 * before any request like every other input (docs/design.md §4).
 */
import { InputError } from '../publish/errors.js'
import { ACTION_ONLY_INPUT_NAMES, INPUTS, type ActionOnlyName } from '../publish/input-contract.js'
import type { InputName, RawInputs } from '../publish/options.js'
import { isGiven } from '../publish/input-text.js'

/** The GitHub-only inputs of action.yml, in its order (the input contract marks them). */
export const GITHUB_INPUT_NAMES = ACTION_ONLY_INPUT_NAMES

type GitHubInputName = ActionOnlyName
export type GitHubRawInputs = Partial<Record<GitHubInputName, string>>

/** These inputs' defaults: the input contract's (action.yml is written from it). */
export const GITHUB_DEFAULTS = {
  'include-prereleases': INPUTS['include-prereleases'].default,
  'report-issue': INPUTS['report-issue'].default,
  'report-label': INPUTS['report-label'].default,
  'repair-workflow': INPUTS['repair-workflow'].default
} as const

/** The releases list's largest page, and so the largest `releases` (GitHub REST: per_page ≤ 100). */
const MAX_RELEASES = 100

/** Which releases give the tags. */
export interface ReleaseSelection {
  /** `releases`: the newest N published releases. */
  count: number
  /** `include-prereleases` */
  includePrereleases: boolean
}

/** Where and how the run's outcome is reported. */
export interface IssueReportOptions {
  /** `report-label`: the label that finds the one open report issue. */
  label: string
  /** `repair-workflow`: the workflow_dispatch file the repair command runs. */
  repairWorkflow: string
}

export interface GitHubOptions {
  releases?: ReleaseSelection
  report?: IssueReportOptions
  /** `owner/name` from GITHUB_REPOSITORY, when releases or the report need it. */
  repository?: { owner: string; repo: string }
}

function flag(name: 'include-prereleases' | 'report-issue', value: string | undefined): boolean {
  const v = (value?.trim() || GITHUB_DEFAULTS[name]).toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new InputError(name, `'${value}' is not true or false`)
}

function releaseCount(value: string | undefined): number | undefined {
  const text = value?.trim() ?? ''
  if (text === '') return undefined
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > MAX_RELEASES) {
    throw new InputError(
      'releases',
      `'${text}' is not a number from 1 to ${MAX_RELEASES}; give how many of the newest releases to check, or leave it empty to use tag`
    )
  }
  return Number(text)
}

/** GitHub's label rules: at most 50 characters; a comma would split the labels filter. */
function label(value: string | undefined): string {
  const text = value?.trim() || GITHUB_DEFAULTS['report-label']
  // eslint-disable-next-line no-control-regex
  if (text.length > 50 || text.includes(',') || /[\u0000-\u001f]/.test(text))
    throw new InputError(
      'report-label',
      `'${text}' is not a label: at most 50 characters, no comma`
    )
  return text
}

function workflowFile(value: string | undefined): string {
  const text = value?.trim() || GITHUB_DEFAULTS['repair-workflow']
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(text)) {
    throw new InputError(
      'repair-workflow',
      `'${text}' is not a workflow file name such as repair.yml (the file in .github/workflows/)`
    )
  }
  return text
}

/** GITHUB_REPOSITORY as runners set it: `owner/name`. */
function repositoryFromEnv(env: Record<string, string | undefined>): {
  owner: string
  repo: string
} {
  const text = env.GITHUB_REPOSITORY?.trim() ?? ''
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(text)
  if (!match) {
    throw new InputError(
      'GITHUB_REPOSITORY',
      `'${text}' is not owner/name; releases and report-issue need the workflow's repository (a runner sets it)`,
      'environment variable'
    )
  }
  return { owner: match[1], repo: match[2] }
}

/**
 * Parse the GitHub-only inputs and check how they combine with the shared ones. With
 * `releases`, the releases name the tags: `tag`, `tags` and `sources` (which name one
 * release's references) are refused rather than silently ignored.
 */
export function parseGitHubOptions(
  raw: GitHubRawInputs,
  shared: RawInputs,
  env: Record<string, string | undefined>
): GitHubOptions {
  const count = releaseCount(raw.releases)
  const includePrereleases = flag('include-prereleases', raw['include-prereleases'])
  const reportWanted = flag('report-issue', raw['report-issue'])
  const report = reportWanted
    ? { label: label(raw['report-label']), repairWorkflow: workflowFile(raw['repair-workflow']) }
    : undefined
  const options: GitHubOptions = {}
  if (count !== undefined) {
    const given = (name: InputName) => isGiven(shared, name)
    if (given('tag'))
      throw new InputError('tag', 'cannot be combined with releases: the releases name the tags')
    if (given('tags')) {
      throw new InputError(
        'tags',
        'cannot be combined with releases: an extra tag such as latest would be moved to every release in turn'
      )
    }
    if (given('sources')) {
      throw new InputError(
        'sources',
        "cannot be combined with releases: sources name one release's images; use platforms or source-template"
      )
    }
    options.releases = { count, includePrereleases }
  }
  if (report) options.report = report
  if (options.releases || options.report) {
    if ((shared['github-token'] ?? '').trim() === '') {
      throw new InputError(
        'github-token',
        `is empty; ${options.releases ? 'releases' : 'report-issue'} reads the repository through the GitHub API with it (the default is the workflow's token)`
      )
    }
    options.repository = repositoryFromEnv(env)
  }
  return options
}
