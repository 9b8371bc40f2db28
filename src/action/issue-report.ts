/**
 * The opt-in report to a GitHub issue: while anything is broken, one open issue (found by the
 * Action's label) holds a table of what is broken and the exact repair command; the first run
 * that finds everything complete comments and closes it. Never a second open issue for one
 * label: the oldest open one is the report.
 */
import { splitLines } from '../publish/input-text.js'
import type { RawInputs } from '../publish/options.js'
import { parseRepository, repositoryName } from '../registry/base/reference.js'
import type { GitHubApi, ReportIssue } from './github-api.js'
import type { IssueReportOptions } from './github-inputs.js'
import { codeBlock, codeCell, neutralise, shellWord } from './untrusted-text.js'

/** One image × release that failed. */
export interface BrokenRelease {
  release: string
  /** Full repository, e.g. ghcr.io/o/app. */
  image: string
  /** The engine's error (registry text in it: untrusted). */
  error: string
  /** The `images` line that repairs it with the repair workflow (`repo = platforms`). */
  imageLine: string
}

export interface RunOutcome {
  broken: BrokenRelease[]
  /** image × release rows checked. */
  checked: number
  /** `verify`, `publish` or `dry-run`. */
  mode: string
  /** Link to the workflow run, when the runner says where it is. */
  runUrl?: string
  now: Date
}

/** What the report did, for the log. */
export interface ReportAction {
  action: 'opened' | 'updated' | 'closed' | 'none' | 'would open' | 'would update' | 'would close'
  issue?: ReportIssue
  /** Something the user should know (a dropped label, other open issues with the label). */
  warnings: string[]
}

/** The marker that says an issue body was written by this Action. */
const MARKER = '<!-- multiarch-index report -->'
/** Bound on one error in a table cell; the job summary of the run has it whole. */
const CELL_LIMIT = 400

function releasesOf(broken: readonly BrokenRelease[]): string[] {
  return [...new Set(broken.map((b) => b.release))]
}

function issueTitle(broken: readonly BrokenRelease[]): string {
  const releases = releasesOf(broken)
  const title = `multiarch-index: ${releases.length} release${releases.length === 1 ? '' : 's'} without a complete image index (${releases.join(', ')})`
  return neutralise(title).slice(0, 200)
}

/**
 * The repair command for one release: the repair workflow's inputs (examples/repair.yml:
 * `version`, and `images` one per line), as `gh workflow run` takes them. Every value is one
 * shell word, so a release or image name cannot run as shell.
 */
export function repairCommand(workflow: string, release: string, imageLines: string[]): string {
  const images =
    imageLines.length === 1
      ? shellWord(imageLines[0])
      : `"$(printf '%s\\n' ${imageLines.map(shellWord).join(' ')})"`
  return `gh workflow run ${shellWord(workflow)} -f version=${shellWord(release)} -f images=${images}`
}

/**
 * Each image's `images` line for the repair workflow, as this run checked it: the line's own
 * platforms, else the run's `platforms` (the repair workflow would otherwise use the default).
 */
export function repairImageLines(raw: RawInputs): Map<string, string> {
  const lines = new Map<string, string>()
  const shared = raw.platforms?.trim().replace(/\s*[\r\n]+\s*/g, ', ')
  for (const line of splitLines(raw.images)) {
    const eq = line.indexOf('=')
    const name = repositoryName(parseRepository((eq >= 0 ? line.slice(0, eq) : line).trim()))
    const platforms = eq >= 0 ? line.slice(eq + 1).trim() : shared
    lines.set(name, platforms ? `${name} = ${platforms}` : name)
  }
  return lines
}

/** The engine's `message:\n  - problem` lines as one line: `message: problem; problem`. */
function problemsOnOneLine(error: string): string {
  const [first = '', ...rest] = error.split(/\r?\n/)
  const problems = rest.map((l) => l.trim().replace(/^- /, '')).filter(Boolean)
  return problems.length > 0 ? `${first} ${problems.join('; ')}` : first
}

function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function runLink(outcome: RunOutcome): string {
  return outcome.runUrl ? `[this run](${outcome.runUrl})` : 'a run'
}

export function issueBody(outcome: RunOutcome, options: IssueReportOptions): string {
  const { broken } = outcome
  const lines = [
    MARKER,
    `${runLink(outcome)} (${neutralise(outcome.mode)}, ${when(outcome.now)}) found ${broken.length} of ${outcome.checked} image × release index${outcome.checked === 1 ? '' : 'es'} that a user cannot pull completely.`,
    '',
    '| Release | Image | What is broken |',
    '| --- | --- | --- |',
    ...broken.map((b) => {
      const error = neutralise(problemsOnOneLine(b.error))
      const shown = error.length > CELL_LIMIT ? `${error.slice(0, CELL_LIMIT)} …` : error
      return `| ${codeCell(b.release)} | ${codeCell(b.image)} | ${codeCell(shown)} |`
    }),
    '',
    '### Repair',
    '',
    `Run the repair workflow (\`${options.repairWorkflow}\`, as in the Action's examples/repair.yml) for each release:`,
    '',
    codeBlock(
      releasesOf(broken)
        .map((release) =>
          repairCommand(
            options.repairWorkflow,
            release,
            broken.filter((b) => b.release === release).map((b) => b.imageLine)
          )
        )
        .join('\n'),
      'sh'
    ),
    '',
    `Each run that finds something broken updates this issue; the first run that finds every index complete comments and closes it. Found by its label \`${options.label}\`: keep the label on it.`
  ]
  return lines.join('\n')
}

function closingComment(outcome: RunOutcome): string {
  return `${runLink(outcome)} (${neutralise(outcome.mode)}, ${when(outcome.now)}) found all ${outcome.checked} image × release index${outcome.checked === 1 ? '' : 'es'} complete. Closing.`
}

/**
 * Open, update or close the report issue for this run's outcome. `write: false` (dry-run)
 * reads which issue is open and says what it would do, writing nothing.
 */
export async function reportToIssue(
  api: Pick<GitHubApi, 'openIssues' | 'createIssue' | 'updateIssue' | 'comment' | 'close'>,
  options: IssueReportOptions,
  outcome: RunOutcome,
  write: boolean
): Promise<ReportAction> {
  const warnings: string[] = []
  const open = await api.openIssues(options.label)
  const issue = open[0]
  if (open.length > 1) {
    warnings.push(
      `${open.length} open issues carry the label '${options.label}' (${open.map((i) => `#${i.number}`).join(', ')}); the oldest, #${issue.number}, is the report: close the others`
    )
  }
  if (outcome.broken.length > 0) {
    const title = issueTitle(outcome.broken)
    const body = issueBody(outcome, options)
    if (issue) {
      if (write) await api.updateIssue(issue.number, title, body)
      return { action: write ? 'updated' : 'would update', issue, warnings }
    }
    if (!write) return { action: 'would open', warnings }
    const created = await api.createIssue(title, body, options.label)
    if (!created.labels.includes(options.label)) {
      // GitHub drops labels silently when the token may not set them; without the label the
      // next run would not find this issue and would open another.
      warnings.push(
        `issue #${created.number} was opened without the label '${options.label}' (GitHub dropped it): add the label by hand, or the next run opens another issue`
      )
    }
    return { action: 'opened', issue: created, warnings }
  }
  if (!issue) return { action: 'none', warnings }
  if (write) {
    await api.comment(issue.number, closingComment(outcome))
    await api.close(issue.number)
  }
  return { action: write ? 'closed' : 'would close', issue, warnings }
}
