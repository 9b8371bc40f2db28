/**
 * The Action: inputs → engine → outputs, job summary, annotations. The only module with
 * core.setFailed; index.ts just calls run().
 */
import * as core from '@actions/core'
import { InputError } from '../publish/errors.js'
import { errorMessage, runAll } from '../publish/engine.js'
import type { ImagePlan, PublishOptions } from '../publish/options.js'
import { overallStatus, resultDocument, type ImageReport } from '../publish/result.js'
import { openSession, type SessionOverrides } from '../publish/session.js'
import { repositoryName } from '../registry/base/reference.js'
import { BufferedLogger, type Logger } from '../registry/base/logger.js'
import { getInputs, optionsForTag, type ActionInputs } from './inputs.js'
import type { GitHubFace } from './github-face.js'
import type { BrokenRelease } from './issue-report.js'
import { tuningFromEnv, type Tuning } from '../publish/tuning.js'
import { codeCell, neutralise } from './untrusted-text.js'
import { commandSafe } from '../oci/untrusted-text.js'
import { failureLine } from '../publish/report-words.js'

/**
 * The engine's log lines, through @actions/core. Messages quote registry text, so no line
 * of them may be taken by the runner as a workflow command (docs/design.md §3 "Untrusted input").
 */
export const CORE_LOGGER: Logger = {
  debug: (message) => core.debug(commandSafe(message)),
  info: (message) => core.info(commandSafe(message)),
  warning: (message) => core.warning(commandSafe(message))
}

/** A plan to run, or a release whose tag could not name an image (reported as failed). */
type Row = { plan: ImagePlan } | { report: ImageReport }

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
function releaseRows(inputs: ActionInputs, tags: readonly string[]): Row[] {
  return tags.flatMap((tag): Row[] => {
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

/** Run the Action. Resolves to the exit code it set (0 done, 1 failed). */
export async function run(overrides: SessionOverrides = {}): Promise<number> {
  let inputs: ActionInputs
  let tuning: Tuning
  try {
    inputs = getInputs()
    tuning = tuningFromEnv(process.env)
  } catch (error) {
    const message = errorMessage(error)
    core.setOutput('status', 'failed')
    core.setFailed(
      error instanceof InputError ? `${message} (nothing was sent to any registry)` : message
    )
    return 1
  }
  const { github } = inputs
  let options: PublishOptions = inputs.options
  for (const notice of options.notices) core.notice(`input '${notice.input}': ${notice.message}`)

  // A runner cancels a job with SIGINT, then SIGTERM, then SIGKILL: on the first signal stop
  // waiting and report what was and was not done; on a second one leave at once.
  const cancel = new AbortController()
  const onSignal = (signal: string) => {
    if (cancel.signal.aborted) process.exit(1)
    core.warning(`received ${signal}: cancelling; no further request will be sent`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  process.once('SIGINT', onInt)
  process.once('SIGTERM', onTerm)

  let face: GitHubFace | undefined
  let rows: Row[] = options.plans.map((plan) => ({ plan }))
  let reports: ImageReport[]
  try {
    if (github.releases || github.report) face = await loadGitHubFace(inputs, cancel.signal)
    if (github.releases && face) {
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
        core.setOutput('status', 'failed')
        core.setFailed(`${errorMessage(error)} (nothing was sent to any registry)`)
        return 1
      }
      if (tags.length === 0) {
        core.setOutput('status', 'failed')
        core.setFailed(
          `releases: ${github.repository!.owner}/${github.repository!.repo} has no published release to check${github.releases.includePrereleases ? '' : ' (prereleases excluded by include-prereleases: false)'}`
        )
        return 1
      }
      rows = releaseRows(inputs, tags)
    }
    const plans = rows.flatMap((row) => ('plan' in row ? [row.plan] : []))
    options = { ...options, plans }
    const session = openSession(options, {
      logger: CORE_LOGGER,
      signal: cancel.signal,
      policy: tuning.policy,
      helperTimeoutMs: tuning.helperTimeoutMs,
      // The Docker config that docker/login-action wrote, found through DOCKER_CONFIG or HOME.
      env: process.env,
      onSecret: (secret) => core.setSecret(secret),
      ...overrides
    })
    try {
      const tagsText = github.releases
        ? `${rows.length / inputs.options.plans.length} release(s)`
        : `tag ${options.tag}`
      core.info(`${options.mode}: ${inputs.options.plans.length} image(s), ${tagsText}`)
      // Images run concurrently; each one's lines are kept and printed as one log group when
      // it is done, so groups never interleave. Retry lines from the transport appear live.
      const buffers = new Map<ImagePlan, BufferedLogger>()
      const ran = await runAll(options, session, {
        loggerFor: (plan) => {
          const buffer = new BufferedLogger()
          buffers.set(plan, buffer)
          return buffer
        },
        onImageDone: (report, plan) => {
          const name = `${report.image}:${report.tags[0]}`
          core.startGroup(name)
          buffers.get(plan)?.replay(CORE_LOGGER)
          CORE_LOGGER.info(
            `${report.image}: ${report.status}${report.digest ? ` ${report.digest}` : ''}`
          )
          core.endGroup()
          if (report.status === 'failed')
            core.error(commandSafe(report.error ?? 'failed'), {
              title: `multiarch-index: ${name}`
            })
        }
      })
      let next = 0
      reports = rows.map((row) => ('plan' in row ? ran[next++] : row.report))
      for (const row of rows) {
        if ('report' in row)
          core.error(commandSafe(row.report.error ?? 'failed'), {
            title: `multiarch-index: ${row.report.image}:${neutralise(row.report.tags[0])}`
          })
      }
    } finally {
      await session.close()
    }
  } finally {
    process.removeListener('SIGINT', onInt)
    process.removeListener('SIGTERM', onTerm)
  }

  const result = resultDocument(reports)
  const status = overallStatus(reports)
  core.setOutput('digest', reports[0]?.digest ?? '')
  core.setOutput('status', status)
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

  const failed = reports.filter((r) => r.status === 'failed')
  const failures: string[] = []
  if (failed.length > 0) {
    const names = failed.map((r) =>
      github.releases ? `${r.image}:${neutralise(r.tags[0])}` : r.image
    )
    failures.push(failureLine(reports, options, names))
  }
  if (github.report && face) {
    // The report comes after every output: a GitHub API failure here adds its own error and
    // never hides what the registry check found.
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
