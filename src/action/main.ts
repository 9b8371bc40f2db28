/**
 * The Action face: @actions/core inputs into the run sequence both faces share
 * (src/publish/run.ts), then outputs, job summary, annotations, log groups and the report
 * issue (docs/design.md §2, §6). The only module with core.setFailed; index.ts calls run().
 */
import * as core from '@actions/core'
import { InputError } from '../publish/errors.js'
import { errorMessage } from '../publish/engine.js'
import type { ImagePlan, PublishOptions } from '../publish/options.js'
import { overallStatus, resultDocument, type ImageReport } from '../publish/result.js'
import type { SessionOverrides } from '../publish/session.js'
import { runSequence, type Preparation, type RunRow } from '../publish/run.js'
import { repositoryName } from '../registry/base/reference.js'
import { BufferedLogger, type Logger } from '../registry/base/logger.js'
import { getInputs, optionsForTag, type ActionInputs } from './inputs.js'
import type { GitHubFace } from './github-face.js'
import type { BrokenRelease } from './issue-report.js'
import { codeCell, neutralise } from './untrusted-text.js'
import { commandSafe } from '../oci/untrusted-text.js'
import { imageDoneLine, NOTHING_SENT } from '../publish/report-sentences.js'

/**
 * The engine's log lines, through @actions/core. Messages quote registry text, so no line
 * of them may be taken by the runner as a workflow command (docs/design.md §3 "Untrusted input").
 */
const CORE_LOGGER: Logger = {
  debug: (message) => core.debug(commandSafe(message)),
  info: (message) => core.info(commandSafe(message)),
  warning: (message) => core.warning(commandSafe(message))
}

/** Octokit and the GitHub face, loaded only by runs with releases or report-issue. */
async function loadGitHubFace(inputs: ActionInputs, signal: AbortSignal): Promise<GitHubFace> {
  const { openGitHubFace } = await import('./github-face.js')
  return openGitHubFace(
    inputs.options.githubToken ?? '',
    inputs.github.repository!,
    signal,
    (message) => core.debug(message)
  )
}

/**
 * One row per image × release: each release tag renders its own sources. A release tag that
 * cannot name an image (a GitHub tag such as `app/v1` is not an OCI tag) fails its rows only.
 */
function releaseRows(inputs: ActionInputs, tags: readonly string[]): RunRow[] {
  return tags.flatMap((tag): RunRow[] => {
    try {
      return optionsForTag(inputs.raw, tag).plans.map((plan) => ({ plan }))
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      const why = `release '${neutralise(tag)}' cannot be checked: ${errorMessage(error)}`
      return inputs.options.plans.map((plan) => ({
        report: {
          image: repositoryName(plan.image),
          tags: [tag],
          status: 'failed',
          platforms: [],
          error: why
        }
      }))
    }
  })
}

/**
 * The look before the session: the GitHub face when a run needs it, and with `releases`
 * one row per image × release. Resolves to a refusal when no release can be checked.
 */
async function prepareGitHub(
  inputs: ActionInputs,
  signal: AbortSignal,
  faceLoaded: (face: GitHubFace) => void
): Promise<Preparation> {
  const { github } = inputs
  if (!github.releases && !github.report) return undefined
  const face = await loadGitHubFace(inputs, signal)
  faceLoaded(face)
  if (!github.releases) return undefined
  let tags: string[]
  try {
    const found = await face.releases(github.releases)
    tags = found.tags
    const skipped = [
      found.skipped.drafts ? `${found.skipped.drafts} draft(s)` : '',
      found.skipped.prereleases ? `${found.skipped.prereleases} prerelease(s)` : ''
    ].filter(Boolean)
    core.info(
      `releases: ${tags.map(neutralise).join(', ') || 'none'}${skipped.length ? ` (skipped ${skipped.join(', ')})` : ''}`
    )
  } catch (error) {
    return { refused: `${errorMessage(error)} ${NOTHING_SENT}` }
  }
  if (tags.length === 0) {
    return {
      refused: `releases: ${github.repository!.owner}/${github.repository!.repo} has no published release to check${github.releases.includePrereleases ? '' : ' (prereleases excluded by include-prereleases: false)'}`
    }
  }
  const rows = releaseRows(inputs, tags)
  return { rows, releases: rows.length / inputs.options.plans.length }
}

/** Run the Action. Resolves to the exit code it set (0 done, 1 failed). */
export async function run(overrides: SessionOverrides = {}): Promise<number> {
  let face: GitHubFace | undefined
  // Images run concurrently; each one's lines are kept and printed as one log group when it
  // is done, so groups never interleave. Retry lines from the transport appear live.
  const buffers = new Map<ImagePlan, BufferedLogger>()
  const outcome = await runSequence<ActionInputs>({
    read: () => {
      const inputs = getInputs()
      return { inputs, options: inputs.options }
    },
    env: process.env,
    process,
    logger: CORE_LOGGER,
    onNotice: (notice) => core.notice(`input '${notice.input}': ${notice.message}`),
    onCancelling: (line) => core.warning(line),
    prepare: (inputs, _options, signal) => prepareGitHub(inputs, signal, (f) => (face = f)),
    loggerFor: (plan) => {
      const buffer = new BufferedLogger()
      buffers.set(plan, buffer)
      return buffer
    },
    onImageDone: (report, plan) => {
      const name = `${report.image}:${report.tags[0]}`
      core.startGroup(name)
      buffers.get(plan)?.replay(CORE_LOGGER)
      CORE_LOGGER.info(imageDoneLine(report))
      core.endGroup()
      if (report.status === 'failed')
        core.error(commandSafe(report.error ?? 'failed'), {
          title: `multiarch-index: ${name}`
        })
    },
    session: {
      // The Docker config that docker/login-action wrote is found through DOCKER_CONFIG or
      // HOME (the sequence passes the environment); every secret read is masked at once.
      onSecret: (secret) => core.setSecret(secret),
      ...overrides
    }
  })
  if (outcome.kind !== 'ran') {
    const message =
      outcome.kind === 'stopped'
        ? outcome.message
        : outcome.error instanceof InputError
          ? `${errorMessage(outcome.error)} ${NOTHING_SENT}`
          : errorMessage(outcome.error)
    core.setOutput('status', 'failed')
    core.setFailed(message)
    return 1
  }
  const { inputs, options, rows, reports } = outcome
  for (const row of rows) {
    if ('report' in row)
      core.error(commandSafe(row.report.error ?? 'failed'), {
        title: `multiarch-index: ${row.report.image}:${neutralise(row.report.tags[0])}`
      })
  }

  const result = resultDocument(reports)
  core.setOutput('digest', reports[0]?.digest ?? '')
  core.setOutput('status', overallStatus(reports))
  core.setOutput('result', JSON.stringify(result))
  try {
    // Rendered after the work, so it is loaded then, not at start (README, Performance).
    const { renderSummary } = await import('./summary.js')
    await core.summary
      .addRaw(renderSummary(result, { tag: options.tag, mode: options.mode }), true)
      .write()
  } catch (error) {
    // No GITHUB_STEP_SUMMARY outside a runner: the summary is a nicety, not the result.
    core.debug(`job summary not written: ${errorMessage(error)}`)
  }

  const failures = outcome.failure ? [outcome.failure] : []
  if (inputs.github.report && face) {
    // The report comes after every output: a GitHub API failure here adds its own error and
    // never hides what the registry check found.
    const failed = reports.filter((r) => r.status === 'failed')
    const problem = await reportOutcome(face, inputs, options, failed, reports.length)
    if (problem) failures.push(problem)
  }
  if (failures.length > 0) {
    core.setFailed(failures.join('; '))
    return 1
  }
  return 0
}

/** Open, update or close the report issue; resolves to an error message when that failed. */
async function reportOutcome(
  face: GitHubFace,
  inputs: ActionInputs,
  options: PublishOptions,
  failed: readonly ImageReport[],
  checked: number
): Promise<string | undefined> {
  const lines = face.repairImageLines(inputs.raw)
  const broken: BrokenRelease[] = failed.map((r) => ({
    release: r.tags[0],
    image: r.image,
    error: r.error ?? 'failed',
    imageLine: lines.get(r.image) ?? r.image
  }))
  const env = process.env
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined
  try {
    const done = await face.report(
      inputs.github.report!,
      { broken, checked, mode: options.mode, runUrl, now: new Date() },
      options.mode !== 'dry-run'
    )
    for (const warning of done.warnings) core.warning(warning)
    const issue = done.issue ? ` #${done.issue.number} ${neutralise(done.issue.url)}` : ''
    const said =
      done.action === 'none'
        ? 'everything is complete and no report issue is open; nothing to do'
        : `${done.action} issue${issue}`
    core.info(`report-issue: ${said}`)
    await appendToSummary(`**Report issue:** ${codeCell(said)}`)
    return undefined
  } catch (error) {
    const message = `report-issue: ${errorMessage(error)}`
    core.error(message, { title: 'multiarch-index: issue report' })
    await appendToSummary(`**Report issue failed:** ${codeCell(errorMessage(error))}`)
    return message
  }
}

/** One more line under the job summary already written (the report comes after it). */
async function appendToSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(`\n${markdown}\n`).write()
  } catch (error) {
    core.debug(`job summary not written: ${errorMessage(error)}`)
  }
}
